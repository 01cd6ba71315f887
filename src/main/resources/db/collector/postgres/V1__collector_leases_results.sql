-- Several replicas share the AWS collection (one lease per (account, region) target) and its results. Times are the
-- database's (now()), never a replica's clock. These tables live in PostgreSQL schema opsgate_collection, with a Flyway
-- history of their own there, apart from the alert store's: neither needs the other's version numbers, and each
-- finds its own schema as it left it.

-- One row per replica that took part recently: the fair share of targets is ceil(targets / live replicas).
CREATE TABLE replicas (
    holder     TEXT PRIMARY KEY,
    seen_until TIMESTAMPTZ NOT NULL
);

-- Who collects a target and until when, unless renewed. generation grows by one each time the lease is granted anew
-- (to another replica, or to the same one after it had expired): a result is accepted only from the current
-- generation's holder, so a replica that lost its lease cannot overwrite a newer result.
CREATE TABLE leases (
    target     TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    generation BIGINT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE result_revision;

-- The newest result of each target, as its holder published it (CBOR, gzipped); revision grows with every publication,
-- so a replica fetches only the rows that changed since it last read them.
CREATE TABLE results (
    target       TEXT PRIMARY KEY,
    generation   BIGINT NOT NULL,
    revision     BIGINT NOT NULL,
    holder       TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    body         BYTEA NOT NULL
);
