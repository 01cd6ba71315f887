-- Schema version 1 as OpsGate wrote it before migrations were versioned by Flyway (PRAGMA user_version = 1).
-- Files of that age are baselined at their user_version instead of running this (see Migrations).
CREATE TABLE alert_state (
  route_id      TEXT    NOT NULL,
  fingerprint   TEXT    NOT NULL,
  group_id      TEXT    NOT NULL,
  status        TEXT    NOT NULL,
  starts_at     BIGINT  NOT NULL,
  ends_at       BIGINT,
  labels        TEXT    NOT NULL,
  annotations   TEXT    NOT NULL,
  generator_url TEXT    NOT NULL,
  received_at   BIGINT  NOT NULL,
  accepted_at   BIGINT  NOT NULL,
  pending       INTEGER NOT NULL,
  notified_at   BIGINT,
  PRIMARY KEY (route_id, fingerprint)
);
CREATE INDEX alert_state_group ON alert_state (group_id, pending);

CREATE TABLE alert_group (
  group_id           TEXT   NOT NULL PRIMARY KEY,
  route_id           TEXT   NOT NULL,
  receivers          TEXT   NOT NULL,
  group_labels       TEXT   NOT NULL,
  group_key          TEXT   NOT NULL,
  external_url       TEXT   NOT NULL,
  repeat_interval_ms BIGINT NOT NULL,
  group_interval_ms  BIGINT NOT NULL,
  flush_at           BIGINT,
  next_repeat_at     BIGINT,
  last_notified_at   BIGINT
);
CREATE INDEX alert_group_flush ON alert_group (flush_at);
CREATE INDEX alert_group_repeat ON alert_group (next_repeat_at);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  route_id        TEXT    NOT NULL,
  receiver        TEXT    NOT NULL,
  destination     TEXT    NOT NULL,
  channel_type    TEXT    NOT NULL,
  group_key       TEXT    NOT NULL,
  alert_status    TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  external_url    TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  attempts        INTEGER NOT NULL,
  last_error      TEXT,
  created_at      BIGINT  NOT NULL,
  accepted_at     BIGINT  NOT NULL,
  next_attempt_at BIGINT  NOT NULL,
  finished_at     BIGINT
);
CREATE INDEX outbox_state ON outbox (state, id);
