-- A target's latest failed cycle, recorded by its holder (only while it holds the lease live in that generation):
-- a failed cycle publishes no result, so without this row the other replicas would wait for that target before they
-- call themselves ready, while the holder, which attempted it, would be. Readiness counts a row attempted within an
-- interval and a lease, so that every replica is ready at the same point.
CREATE TABLE attempts (
    target       TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    generation   BIGINT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL
);
