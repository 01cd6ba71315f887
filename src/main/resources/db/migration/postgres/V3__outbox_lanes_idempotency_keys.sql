-- Outbox lanes (destination, group) and idempotency keys. Rows from before share one lane per destination and are
-- keyed by their id.
ALTER TABLE outbox ADD COLUMN group_id TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT '';
UPDATE outbox SET idempotency_key = 'opsgate-' || id;
CREATE INDEX outbox_lane ON outbox (destination, group_id, state, id);
