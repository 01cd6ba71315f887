package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The outbox's rows and the rules that keep each destination on the newest state of each group.
 * <p>
 * A <i>lane</i> is (destination, group): what one destination is told about one alert group. In a lane:
 * <ul>
 * <li>at most one row is {@code pending} (waiting to be sent, or waiting out a retry). A newer state of the group
 *     <b>supersedes</b> it: the new row holds the pending row's alerts overridden, fingerprint by fingerprint, by the
 *     newer ones (Alertmanager sends a group's current state, not its history), starts no sooner than the pending
 *     row's next attempt (a {@code Retry-After} is the destination's, not the row's), and gets a new idempotency key;
 *     the pending row becomes {@code superseded} and is never sent again.</li>
 * <li>at most one row is {@code sending}: its attempt is committed before the request goes out, so after a crash
 *     exactly the requests that were in flight are known. The dispatcher starts a lane's next row only once the
 *     one in flight has its answer, so a destination never gets an older state after a newer one.</li>
 * <li>when the row in flight fails (retry) while a newer row waits, the newer row takes its alerts (newer wins)
 *     and the failed one is superseded instead of retried: a stale FIRING can never follow a RESOLVED. A row that
 *     failed for good (4xx) is not merged: what the destination refused would only poison the newer row.</li>
 * <li>after a crash, a {@code sending} row is sent again (same key, {@code attempt > 0}) unless a newer row waits
 *     in its lane, which then takes its alerts as above.</li>
 * </ul>
 * The SQL is portable (no engine-specific upsert here); every method runs inside the writer's transaction.
 */
final class Outbox {
    static final String PENDING = DeliveryState.PENDING.wire();
    static final String SENDING = DeliveryState.SENDING.wire();
    static final String SUPERSEDED = DeliveryState.SUPERSEDED.wire();

    private static final String COLUMNS = "id, route_id, receiver, destination, channel_type, group_key, alert_status, "
            + "payload, attempts, created_at, accepted_at, next_attempt_at, external_url, group_id, idempotency_key, "
            + "notification_reason";

    private Outbox() {
    }

    /** The alerts of {@code older} overridden, fingerprint by fingerprint, by {@code newer}; sorted by fingerprint. */
    static List<StoreJson.RawAlert> merge(List<StoreJson.RawAlert> older, List<StoreJson.RawAlert> newer) {
        Map<String, StoreJson.RawAlert> byFingerprint = new TreeMap<>();
        older.forEach(a -> byFingerprint.put(a.alert().fingerprint(), a));
        newer.forEach(a -> byFingerprint.put(a.alert().fingerprint(), a));
        return List.copyOf(byFingerprint.values());
    }

    static AlertStatus status(List<StoreJson.RawAlert> alerts) {
        return alerts.stream().anyMatch(a -> a.alert().status() == AlertStatus.FIRING)
                ? AlertStatus.FIRING : AlertStatus.RESOLVED;
    }

    static String payload(List<StoreJson.RawAlert> alerts, Map<String, String> groupLabels) {
        List<Alert> plain = alerts.stream().map(StoreJson.RawAlert::alert).toList();
        return StoreJson.payload(alerts, groupLabels, common(plain.stream().map(Alert::labels).toList()),
                common(plain.stream().map(Alert::annotations).toList()));
    }

    /** The label pairs every map shares (Alertmanager's commonLabels / commonAnnotations). */
    static Map<String, String> common(List<Map<String, String>> maps) {
        if (maps.isEmpty()) {
            return Map.of();
        }
        Map<String, String> result = new HashMap<>(maps.get(0));
        for (Map<String, String> m : maps.subList(1, maps.size())) {
            result.entrySet().removeIf(e -> !Objects.equals(m.get(e.getKey()), e.getValue()));
        }
        return result;
    }

    static List<StoreJson.RawAlert> rawAlerts(String payload) {
        return StoreJson.readPayload(payload).alerts().stream()
                .map(a -> new StoreJson.RawAlert(a, StoreJson.map(a.labels()), StoreJson.map(a.annotations())))
                .toList();
    }

    static String newKey() {
        return "opsgate-" + UUID.randomUUID();
    }

    /** The row of the lane in {@code state} (the newest, should there be several), if any. */
    static Optional<PendingDelivery> inLane(Sql c, String destination, String groupId, String state, long afterId)
            throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT " + COLUMNS + " FROM outbox WHERE destination = ? "
                + "AND group_id = ? AND state = ? AND id > ? ORDER BY id DESC LIMIT 1")) {
            s.setString(1, destination);
            s.setString(2, groupId);
            s.setString(3, state);
            s.setLong(4, afterId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(delivery(rs)) : Optional.empty();
            }
        }
    }

    static Optional<PendingDelivery> byId(Sql c, long id) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT " + COLUMNS + " FROM outbox WHERE id = ? AND state IN (?, ?)")) {
            s.setLong(1, id);
            s.setString(2, PENDING);
            s.setString(3, SENDING);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(delivery(rs)) : Optional.empty();
            }
        }
    }

    static List<PendingDelivery> inState(Sql c, String state) throws SQLException {
        List<PendingDelivery> result = new ArrayList<>();
        try (PreparedStatement s = c.prepare("SELECT " + COLUMNS + " FROM outbox WHERE state = ? ORDER BY id")) {
            s.setString(1, state);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(delivery(rs));
                }
            }
        }
        return result;
    }

    private static PendingDelivery delivery(ResultSet rs) throws SQLException {
        StoreJson.Payload p = StoreJson.readPayload(rs.getString(8));
        Notification n = new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(6), AlertStatus.fromWire(rs.getString(7)), p.alerts(), p.groupLabels(), p.commonLabels(),
                p.commonAnnotations(), rs.getString(13), Instant.ofEpochMilli(rs.getLong(10)), rs.getInt(9),
                rs.getString(15), rs.getString(16));
        return new PendingDelivery(n, rs.getString(5), rs.getString(14), Instant.ofEpochMilli(rs.getLong(11)),
                Instant.ofEpochMilli(rs.getLong(12)));
    }

    /** A new pending row; returns its id. */
    static long insert(Sql c, Notification n, String channelType, String groupId, String payload, long acceptedAt,
                       long nextAttemptAt) throws SQLException {
        try (PreparedStatement insert = c.prepare("""
                INSERT INTO outbox (route_id, receiver, destination, channel_type, group_key, alert_status, payload,
                  external_url, state, attempts, last_error, created_at, accepted_at, next_attempt_at, finished_at,
                  group_id, idempotency_key, notification_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, ?, ?, ?, NULL, ?, ?, ?)""",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, n.route());
            insert.setString(2, n.receiver());
            insert.setString(3, n.destination());
            insert.setString(4, channelType);
            insert.setString(5, n.groupKey());
            insert.setString(6, n.status().wire());
            insert.setString(7, payload);
            insert.setString(8, n.externalUrl());
            insert.setLong(9, n.createdAt().toEpochMilli());
            insert.setLong(10, acceptedAt);
            insert.setLong(11, nextAttemptAt);
            insert.setString(12, groupId);
            insert.setString(13, n.idempotencyKey());
            insert.setString(14, n.notificationReason());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    static void supersede(Sql c, long id, Integer attempts, String lastError, Instant at) throws SQLException {
        try (PreparedStatement u = c.prepare("UPDATE outbox SET state = ?, attempts = COALESCE(?, attempts), "
                + "last_error = COALESCE(?, last_error), finished_at = ? WHERE id = ? AND state IN (?, ?)")) {
            u.setString(1, SUPERSEDED);
            if (attempts == null) {
                u.setNull(2, java.sql.Types.INTEGER);
            } else {
                u.setInt(2, attempts);
            }
            u.setString(3, lastError);
            u.setLong(4, at.toEpochMilli());
            u.setLong(5, id);
            u.setString(6, PENDING);
            u.setString(7, SENDING);
            u.executeUpdate();
        }
    }

    /**
     * Folds {@code older}'s alerts under {@code newer}'s (newer wins) and returns the newer row as it now is. The
     * newer row keeps its key if it was never attempted (no receiver has seen that key), else gets a new one.
     */
    static PendingDelivery foldInto(Sql c, PendingDelivery older, PendingDelivery newer) throws SQLException {
        Notification n = newer.notification();
        List<StoreJson.RawAlert> merged = merge(raw(older.notification().alerts()), raw(n.alerts()));
        String key = n.attempt() == 0 ? n.idempotencyKey() : newKey();
        long acceptedAt = Math.min(older.acceptedAt().toEpochMilli(), newer.acceptedAt().toEpochMilli());
        try (PreparedStatement u = c.prepare("UPDATE outbox SET payload = ?, alert_status = ?, accepted_at = ?, "
                + "idempotency_key = ? WHERE id = ?")) {
            u.setString(1, payload(merged, n.groupLabels()));
            u.setString(2, status(merged).wire());
            u.setLong(3, acceptedAt);
            u.setString(4, key);
            u.setLong(5, n.id());
            u.executeUpdate();
        }
        return byId(c, n.id()).orElseThrow();
    }

    private static List<StoreJson.RawAlert> raw(List<Alert> alerts) {
        return alerts.stream()
                .map(a -> new StoreJson.RawAlert(a, StoreJson.map(a.labels()), StoreJson.map(a.annotations())))
                .toList();
    }
}
