-- The incident model: the end of the last closed incident of (route, fingerprint). For a resolved alert, its end.
ALTER TABLE alert_state ADD COLUMN horizon BIGINT;
UPDATE alert_state SET horizon = ends_at WHERE status = 'resolved';
