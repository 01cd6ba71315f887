-- Alertmanager 0.32+'s notification_reason of the newest webhook that changed a group, and of each outbox row;
-- "" where unknown (older peers, rows from before this version).
ALTER TABLE alert_group ADD COLUMN notification_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN notification_reason TEXT NOT NULL DEFAULT '';
-- Per lane (destination, group), the message the destination keeps for the group (Slack bot mode): the channel id
-- and ts Slack answered with (ts NULL while a post is unconfirmed), what it shows, and the post id in its metadata.
CREATE TABLE group_message (
  destination TEXT   NOT NULL,
  group_id    TEXT   NOT NULL,
  channel     TEXT   NOT NULL,
  ts          TEXT,
  shown       TEXT   NOT NULL,
  post_id     TEXT   NOT NULL,
  posted_at   BIGINT NOT NULL,
  alerts      TEXT   NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (destination, group_id)
);
