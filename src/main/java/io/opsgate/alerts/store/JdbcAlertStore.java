package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.GroupMessage;
import io.opsgate.alerts.model.Notification;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AlertStore} over JDBC. The statements are portable SQL (upserts with {@code ON CONFLICT ... DO UPDATE},
 * instants as epoch milliseconds in BIGINT, JSON in TEXT) so that a PostgreSQL engine, which does not exist yet
 * (the HA issue), could reuse them; only opening the connection and the DDL would be per engine
 * ({@link SqliteEngine} is the only one).
 * <p>
 * Dedupe is the incident model of (route, fingerprint), {@link Incident}: copies from other Alertmanager peers
 * (whatever {@code startsAt} they carry), retries, group re-sends and lagging peers' stale copies change nothing;
 * only opening and closing an incident are state changes that reach the outbox.
 */
public final class JdbcAlertStore implements AlertStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcAlertStore.class);
    private static final int QUEUE_CAPACITY = 20_000;
    private static final int MAX_BATCH = 512;

    private final GroupCommitWriter writer;

    private JdbcAlertStore(GroupCommitWriter writer) {
        this.writer = writer;
    }

    public static JdbcAlertStore sqlite(Vertx vertx, Path file) throws SQLException {
        return new JdbcAlertStore(new GroupCommitWriter(vertx, SqliteEngine.open(file), QUEUE_CAPACITY, MAX_BATCH,
                "opsgate-alert-store " + file.getFileName()));
    }

    @Override
    public Future<IngestResult> ingest(List<IncomingAlert> alerts, Instant acceptedAt) {
        return writer.submit(c -> ingest(c, alerts, acceptedAt));
    }

    private static IngestResult ingest(Sql c, List<IncomingAlert> alerts, Instant now) throws SQLException {
        int changed = 0;
        int duplicates = 0;
        Map<String, IncomingAlert> touchedGroups = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepare(
                "SELECT status, starts_at, ends_at, horizon FROM alert_state WHERE route_id = ? AND fingerprint = ?");
             PreparedStatement upsert = c.prepare("""
                     INSERT INTO alert_state (route_id, fingerprint, group_id, status, starts_at, ends_at, horizon,
                       labels, annotations, generator_url, received_at, accepted_at, pending, notified_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)
                     ON CONFLICT (route_id, fingerprint) DO UPDATE SET group_id = excluded.group_id,
                       status = excluded.status, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                       horizon = excluded.horizon, labels = excluded.labels, annotations = excluded.annotations,
                       generator_url = excluded.generator_url, received_at = excluded.received_at,
                       accepted_at = CASE WHEN alert_state.pending = 1 THEN alert_state.accepted_at
                                          ELSE excluded.accepted_at END,
                       pending = 1""");
             PreparedStatement join = c.prepare(
                     "UPDATE alert_state SET starts_at = ?, ends_at = ? WHERE route_id = ? AND fingerprint = ?")) {
            for (IncomingAlert in : alerts) {
                Alert a = in.alert();
                select.setString(1, in.routeId());
                select.setString(2, a.fingerprint());
                Incident current = null;
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        current = new Incident(AlertStatus.fromWire(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2)),
                                instant(rs, 3), instant(rs, 4));
                    }
                }
                Incident.Step step = Incident.apply(current, a.status(), a.startsAt(), a.endsAt(), now);
                Incident next = step.next();
                if (!step.outcome().changed()) {
                    duplicates++;
                    if (step.outcome() == Incident.Outcome.JOINED && !next.equals(current)) {
                        join.setLong(1, next.startsAt().toEpochMilli());
                        setInstant(join, 2, next.endsAt());
                        join.setString(3, in.routeId());
                        join.setString(4, a.fingerprint());
                        join.executeUpdate();
                    }
                    continue;
                }
                changed++;
                upsert.setString(1, in.routeId());
                upsert.setString(2, a.fingerprint());
                upsert.setString(3, in.groupId());
                upsert.setString(4, next.status().wire());
                upsert.setLong(5, next.startsAt().toEpochMilli());
                setInstant(upsert, 6, next.endsAt());
                setInstant(upsert, 7, next.horizon());
                upsert.setString(8, StoreJson.map(a.labels()));
                upsert.setString(9, StoreJson.map(a.annotations()));
                upsert.setString(10, a.generatorUrl());
                upsert.setLong(11, now.toEpochMilli());
                upsert.setLong(12, now.toEpochMilli());
                upsert.executeUpdate();
                touchedGroups.putIfAbsent(in.groupId(), in);
            }
        }
        Instant earliest = null;
        try (PreparedStatement group = c.prepare("""
                INSERT INTO alert_group (group_id, route_id, receivers, group_labels, group_key, external_url,
                  repeat_interval_ms, group_interval_ms, flush_at, next_repeat_at, last_notified_at,
                  notification_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)
                ON CONFLICT (group_id) DO UPDATE SET receivers = excluded.receivers,
                  notification_reason = excluded.notification_reason,
                  group_key = excluded.group_key, external_url = excluded.external_url,
                  repeat_interval_ms = excluded.repeat_interval_ms, group_interval_ms = excluded.group_interval_ms,
                  flush_at = CASE
                    WHEN alert_group.flush_at IS NOT NULL THEN alert_group.flush_at
                    WHEN alert_group.last_notified_at IS NOT NULL
                         AND alert_group.last_notified_at + excluded.group_interval_ms > excluded.flush_at
                      THEN alert_group.last_notified_at + excluded.group_interval_ms
                    ELSE excluded.flush_at END""")) {
            for (IncomingAlert in : touchedGroups.values()) {
                Instant flushAt = now.plus(in.groupWait());
                group.setString(1, in.groupId());
                group.setString(2, in.routeId());
                group.setString(3, StoreJson.list(in.receivers()));
                group.setString(4, StoreJson.map(in.groupLabels()));
                group.setString(5, in.groupKey());
                group.setString(6, in.externalUrl());
                group.setLong(7, in.repeatInterval().toMillis());
                group.setLong(8, in.groupInterval().toMillis());
                group.setLong(9, flushAt.toEpochMilli());
                group.setString(10, in.notificationReason());
                group.addBatch();
                earliest = earliest == null || flushAt.isBefore(earliest) ? flushAt : earliest;
            }
            group.executeBatch();
        }
        return new IngestResult(changed, duplicates, Optional.ofNullable(earliest));
    }

    @Override
    public Future<FlushResult> flushDue(Instant now, Map<String, List<Destination>> receivers) {
        return writer.submit(c -> flush(c, now, receivers));
    }

    /**
     * @param reason the notification_reason of the newest webhook that changed the group; a reminder's is
     *               {@link #REMINDER_REASON}
     */
    private record Group(String groupId, String routeId, List<String> receivers, Map<String, String> groupLabels,
                         String groupKey, String externalUrl, long repeatIntervalMs, boolean reminder, String reason) {
    }

    /** Alertmanager's reason for a repeat; OpsGate's own reminders (its repeat_interval) are one. */
    static final String REMINDER_REASON = "repeat interval elapsed";

    private record StoredAlert(StoreJson.RawAlert raw, long acceptedAt) {
        Alert alert() {
            return raw.alert();
        }
    }

    private static FlushResult flush(Sql c, Instant now, Map<String, List<Destination>> receivers)
            throws SQLException {
        long nowMs = now.toEpochMilli();
        List<Group> due = new ArrayList<>();
        // Two queries rather than one with OR, so that each can use its index.
        dueGroups(c, "flush_at <= ?", nowMs, false, due);
        dueGroups(c, "next_repeat_at <= ? AND flush_at IS NULL", nowMs, true, due);
        List<PendingDelivery> created = new ArrayList<>();
        List<Long> superseded = new ArrayList<>();
        for (Group g : due) {
            List<StoredAlert> alerts = g.reminder() ? firingAlerts(c, g.groupId(), nowMs) : pendingAlerts(c, g.groupId());
            if (!alerts.isEmpty()) {
                created.addAll(writeOutbox(c, g, alerts, now, receivers, superseded));
            }
            if (!g.reminder()) {
                try (PreparedStatement u = c.prepare(
                        "UPDATE alert_state SET pending = 0, notified_at = ? WHERE group_id = ? AND pending = 1")) {
                    u.setLong(1, nowMs);
                    u.setString(2, g.groupId());
                    u.executeUpdate();
                }
            }
            boolean stillFiring = g.reminder() ? !alerts.isEmpty() : hasFiring(c, g.groupId(), nowMs);
            try (PreparedStatement u = c.prepare("UPDATE alert_group SET flush_at = NULL, next_repeat_at = ?, "
                    + "last_notified_at = CASE WHEN ? = 1 THEN ? ELSE last_notified_at END WHERE group_id = ?")) {
                if (stillFiring && g.repeatIntervalMs() > 0) {
                    u.setLong(1, nowMs + g.repeatIntervalMs());
                } else {
                    u.setNull(1, Types.BIGINT);
                }
                u.setInt(2, alerts.isEmpty() ? 0 : 1);
                u.setLong(3, nowMs);
                u.setString(4, g.groupId());
                u.executeUpdate();
            }
        }
        return new FlushResult(created, superseded, nextDue(c));
    }

    private static void dueGroups(Sql c, String condition, long nowMs, boolean reminder, List<Group> into)
            throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT group_id, route_id, receivers, group_labels, group_key, "
                + "external_url, repeat_interval_ms, notification_reason FROM alert_group WHERE " + condition)) {
            s.setLong(1, nowMs);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    into.add(new Group(rs.getString(1), rs.getString(2), StoreJson.readList(rs.getString(3)),
                            StoreJson.readMap(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getLong(7),
                            reminder, reminder ? REMINDER_REASON : rs.getString(8)));
                }
            }
        }
    }

    private static List<StoredAlert> pendingAlerts(Sql c, String groupId) throws SQLException {
        return selectAlerts(c, "WHERE group_id = ? AND pending = 1", groupId, null);
    }

    /** Alerts of the group already notified as firing that Alertmanager has not ended: what a reminder repeats. */
    private static List<StoredAlert> firingAlerts(Sql c, String groupId, long nowMs) throws SQLException {
        return selectAlerts(c, "WHERE group_id = ? AND pending = 0 AND status = 'firing' AND (ends_at IS NULL OR ends_at > ?)",
                groupId, nowMs);
    }

    private static boolean hasFiring(Sql c, String groupId, long nowMs) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT 1 FROM alert_state WHERE group_id = ? AND pending = 0 "
                + "AND status = 'firing' AND (ends_at IS NULL OR ends_at > ?) LIMIT 1")) {
            s.setString(1, groupId);
            s.setLong(2, nowMs);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<StoredAlert> selectAlerts(Sql c, String where, String groupId, Long nowMs)
            throws SQLException {
        List<StoredAlert> result = new ArrayList<>();
        try (PreparedStatement s = c.prepare("SELECT fingerprint, status, starts_at, ends_at, labels, "
                + "annotations, generator_url, accepted_at FROM alert_state " + where + " ORDER BY fingerprint")) {
            s.setString(1, groupId);
            if (nowMs != null) {
                s.setLong(2, nowMs);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(new StoredAlert(new StoreJson.RawAlert(alert(rs), rs.getString(5), rs.getString(6)),
                            rs.getLong(8)));
                }
            }
        }
        return result;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Alert alert(ResultSet rs) throws SQLException {
        Instant endsAt = instant(rs, 4);
        return new Alert(rs.getString(1), AlertStatus.fromWire(rs.getString(2)), StoreJson.readMap(rs.getString(5)),
                StoreJson.readMap(rs.getString(6)), Instant.ofEpochMilli(rs.getLong(3)), endsAt, rs.getString(7));
    }

    /**
     * One row per destination of the group's receivers, each superseding the lane's pending row ({@link Outbox}).
     * {@code superseded} collects the ids of rows replaced, for the dispatcher to drop.
     */
    private static List<PendingDelivery> writeOutbox(Sql c, Group g, List<StoredAlert> stored, Instant now,
                                                     Map<String, List<Destination>> receivers, List<Long> superseded)
            throws SQLException {
        List<StoreJson.RawAlert> fresh = stored.stream().map(StoredAlert::raw).toList();
        long acceptedAt = g.reminder() ? now.toEpochMilli()
                : stored.stream().mapToLong(StoredAlert::acceptedAt).min().orElse(now.toEpochMilli());
        String freshPayload = null;
        List<PendingDelivery> created = new ArrayList<>();
        for (String receiver : g.receivers()) {
            List<Destination> destinations = receivers.get(receiver);
            if (destinations == null) {
                LOG.error("route {} names receiver {}, which is not configured; {} alert(s) not notified there",
                        g.routeId(), receiver, fresh.size());
                continue;
            }
            for (Destination d : destinations) {
                Optional<PendingDelivery> older = Outbox.inLane(c, d.id(), g.groupId(), Outbox.PENDING, 0);
                List<StoreJson.RawAlert> alerts = fresh;
                long accepted = acceptedAt;
                long due = now.toEpochMilli();
                String payload;
                if (older.isPresent()) {
                    PendingDelivery o = older.get();
                    alerts = Outbox.merge(rawOf(o), fresh);
                    accepted = Math.min(accepted, o.acceptedAt().toEpochMilli());
                    due = Math.max(due, o.dueAt().toEpochMilli());
                    Outbox.supersede(c, o.notification().id(), null, null, now);
                    superseded.add(o.notification().id());
                    payload = Outbox.payload(alerts, g.groupLabels());
                } else {
                    if (freshPayload == null) {
                        freshPayload = Outbox.payload(fresh, g.groupLabels());
                    }
                    payload = freshPayload;
                }
                AlertStatus status = Outbox.status(alerts);
                if (status == AlertStatus.RESOLVED && !d.sendResolved()) {
                    continue;
                }
                List<Alert> plain = alerts.stream().map(StoreJson.RawAlert::alert).toList();
                Notification n = new Notification(0, g.routeId(), receiver, d.id(), g.groupKey(), status, plain,
                        g.groupLabels(), Outbox.common(plain.stream().map(Alert::labels).toList()),
                        Outbox.common(plain.stream().map(Alert::annotations).toList()), g.externalUrl(), now, 0,
                        Outbox.newKey(), g.reason());
                long id = Outbox.insert(c, n, d.type(), g.groupId(), payload, accepted, due);
                Notification stored1 = new Notification(id, n.route(), n.receiver(), n.destination(), n.groupKey(),
                        n.status(), n.alerts(), n.groupLabels(), n.commonLabels(), n.commonAnnotations(),
                        n.externalUrl(), n.createdAt(), 0, n.idempotencyKey(), n.notificationReason());
                created.add(new PendingDelivery(stored1, d.type(), g.groupId(), Instant.ofEpochMilli(accepted),
                        Instant.ofEpochMilli(due)));
            }
        }
        return created;
    }

    private static List<StoreJson.RawAlert> rawOf(PendingDelivery d) {
        return d.notification().alerts().stream()
                .map(a -> new StoreJson.RawAlert(a, StoreJson.map(a.labels()), StoreJson.map(a.annotations())))
                .toList();
    }

    private static Optional<Instant> nextDue(Sql c) throws SQLException {
        Long flush = min(c, "SELECT MIN(flush_at) FROM alert_group");
        Long repeat = min(c, "SELECT MIN(next_repeat_at) FROM alert_group WHERE next_repeat_at IS NOT NULL "
                + "AND flush_at IS NULL");
        if (flush == null || repeat == null) {
            return Optional.ofNullable(flush != null ? flush : repeat).map(Instant::ofEpochMilli);
        }
        return Optional.of(Instant.ofEpochMilli(Math.min(flush, repeat)));
    }

    private static Long min(Sql c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepare(sql); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }
    }

    @Override
    public Future<Recovery> recover() {
        return writer.submit(c -> {
            int resent = 0;
            int dropped = 0;
            Instant now = Instant.now();
            for (PendingDelivery inFlight : Outbox.inState(c, Outbox.SENDING)) {
                Notification n = inFlight.notification();
                Optional<PendingDelivery> newer = Outbox.inLane(c, n.destination(), inFlight.groupId(), Outbox.PENDING,
                        n.id());
                if (newer.isPresent()) {
                    Outbox.foldInto(c, inFlight, newer.get());
                    Outbox.supersede(c, n.id(), null, "in flight at a crash; superseded by notification "
                            + newer.get().notification().id(), now);
                    dropped++;
                } else {
                    try (PreparedStatement u = c.prepare("UPDATE outbox SET state = ? WHERE id = ?")) {
                        u.setString(1, Outbox.PENDING);
                        u.setLong(2, n.id());
                        u.executeUpdate();
                    }
                    resent++;
                }
            }
            return new Recovery(Outbox.inState(c, Outbox.PENDING), resent, dropped);
        });
    }

    @Override
    public Future<Boolean> markSending(long id, int attempts, Instant at) {
        return writer.submit(c -> {
            try (PreparedStatement u = c.prepare(
                    "UPDATE outbox SET state = ?, attempts = ? WHERE id = ? AND state = ?")) {
                u.setString(1, Outbox.SENDING);
                u.setInt(2, attempts);
                u.setLong(3, id);
                u.setString(4, Outbox.PENDING);
                return u.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Future<Void> markSent(long id, int attempts, Instant at) {
        return finish(id, attempts, DeliveryState.SENT, null, at);
    }

    @Override
    public Future<Void> markFailed(long id, int attempts, String reason, Instant at) {
        return finish(id, attempts, DeliveryState.FAILED, reason, at);
    }

    private Future<Void> finish(long id, int attempts, DeliveryState state, String error, Instant at) {
        return writer.submit(c -> {
            try (PreparedStatement u = c.prepare("UPDATE outbox SET state = ?, attempts = ?, "
                    + "last_error = COALESCE(?, last_error), finished_at = ? WHERE id = ? "
                    + "AND state IN ('pending', 'sending')")) {
                u.setString(1, state.wire());
                u.setInt(2, attempts);
                u.setString(3, error);
                u.setLong(4, at.toEpochMilli());
                u.setLong(5, id);
                u.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Future<Optional<PendingDelivery>> markRetry(long id, int attempts, Instant nextAttemptAt, String error) {
        return writer.submit(c -> {
            Optional<PendingDelivery> row = Outbox.byId(c, id);
            if (row.isEmpty()) {
                return Optional.<PendingDelivery>empty();
            }
            PendingDelivery old = row.get();
            Optional<PendingDelivery> newer = Outbox.inLane(c, old.notification().destination(), old.groupId(),
                    Outbox.PENDING, id);
            if (newer.isPresent()) {
                PendingDelivery replacement = Outbox.foldInto(c, old, newer.get());
                Outbox.supersede(c, id, attempts, error + "; superseded by notification "
                        + replacement.notification().id(), Instant.now());
                return Optional.of(replacement);
            }
            try (PreparedStatement u = c.prepare("UPDATE outbox SET state = ?, attempts = ?, last_error = ?, "
                    + "next_attempt_at = ? WHERE id = ? AND state IN ('pending', 'sending')")) {
                u.setString(1, Outbox.PENDING);
                u.setInt(2, attempts);
                u.setString(3, error);
                u.setLong(4, nextAttemptAt.toEpochMilli());
                u.setLong(5, id);
                u.executeUpdate();
            }
            return Optional.<PendingDelivery>empty();
        });
    }

    @Override
    public Future<Integer> prune(Instant before) {
        return writer.submit(c -> {
            int deleted = 0;
            try (PreparedStatement o = c.prepare(
                    "DELETE FROM outbox WHERE state <> 'pending' AND finished_at < ?");
                 PreparedStatement a = c.prepare(
                         "DELETE FROM alert_state WHERE status = 'resolved' AND pending = 0 AND received_at < ?");
                 PreparedStatement g = c.prepare("DELETE FROM alert_group WHERE flush_at IS NULL "
                         + "AND next_repeat_at IS NULL AND NOT EXISTS (SELECT 1 FROM alert_state s "
                         + "WHERE s.group_id = alert_group.group_id)")) {
                o.setLong(1, before.toEpochMilli());
                a.setLong(1, before.toEpochMilli());
                deleted += o.executeUpdate() + a.executeUpdate() + g.executeUpdate();
            }
            deleted += GroupMessages.prune(c);
            return deleted;
        });
    }

    @Override
    public Future<Optional<GroupMessage>> groupMessage(String destination, String groupId) {
        return writer.submit(c -> GroupMessages.find(c, destination, groupId));
    }

    @Override
    public Future<Void> saveGroupMessage(String destination, String groupId, GroupMessage message) {
        return writer.submit(c -> {
            GroupMessages.save(c, destination, groupId, message, Instant.now());
            return null;
        });
    }

    private static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value.toEpochMilli());
        }
    }

    @Override
    public void close() {
        writer.close();
    }

    // The API's paged reads (PagedReads): on the writer's connection, one page per operation.

    @Override
    public Future<Optional<AlertKey>> scanAlerts(Optional<AlertKey> after, int limit, Predicate<AlertRecord> row) {
        return writer.submit(c -> PagedReads.alerts(c, after, limit, row));
    }

    @Override
    public Future<Optional<Long>> scanNotifications(Optional<DeliveryState> state, Optional<Long> before, int limit,
                                                    Predicate<OutboxRecord> row) {
        return writer.submit(c -> PagedReads.notifications(c, state, before, limit, row));
    }
}
