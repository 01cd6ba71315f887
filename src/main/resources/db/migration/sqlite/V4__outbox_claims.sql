-- Claims on outbox rows for replicas that share one store (PostgreSQL): which replica delivers a row, and until when
-- its claim holds unless renewed. A single SQLite gateway leaves both NULL; the columns keep one schema for both engines.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
CREATE INDEX outbox_claims ON outbox (claimed_by) WHERE state IN ('pending', 'sending');
