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

    static final String COLUMNS = "id, route_id, receiver, destination, channel_type, group_key, alert_status, "
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

    /** A lane: what one destination is told about one group. */
    record Lane(String destination, String groupId) {
    }

    /**
     * The pending row of each of these lanes that has one (the newest, should there be several): on PostgreSQL
     * ({@code arrays}) one query for all, else one per lane.
     */
    static Map<Lane, PendingDelivery> pendingInLanes(Sql c, List<Lane> lanes, boolean arrays) throws SQLException {
        Map<Lane, PendingDelivery> result = new HashMap<>();
        if (lanes.isEmpty()) {
            return result;
        }
        if (!arrays) {
            for (Lane lane : lanes) {
                inLane(c, lane.destination(), lane.groupId(), PENDING, 0).ifPresent(row -> result.put(lane, row));
            }
            return result;
        }
        try (PreparedStatement s = c.prepare("SELECT " + COLUMNS + " FROM outbox WHERE state = 'pending' AND "
                + "(destination, group_id) IN (SELECT * FROM unnest(?::text[], ?::text[])) ORDER BY id")) {
            s.setArray(1, c.connection().createArrayOf("text",
                    lanes.stream().map(Lane::destination).toArray(String[]::new)));
            s.setArray(2, c.connection().createArrayOf("text", lanes.stream().map(Lane::groupId).toArray(String[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    PendingDelivery row = delivery(rs);
                    result.put(new Lane(row.notification().destination(), row.groupId()), row); // newest last
                }
            }
        }
        return result;
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

    /**
     * Whether the row is pending or sending and free to take: nobody's, {@code replicaId}'s (when not null), or its
     * claim expired before {@code nowMs}.
     */
    static boolean claimable(Sql c, long id, String replicaId, long nowMs) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT 1 FROM outbox WHERE id = ? AND state IN ('pending', 'sending') "
                + "AND (claimed_by IS NULL OR claimed_by = ? OR lease_until < ?)")) {
            s.setLong(1, id);
            s.setString(2, replicaId == null ? "" : replicaId);
            s.setLong(3, nowMs);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    static boolean isSending(Sql c, long id) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT 1 FROM outbox WHERE id = ? AND state = 'sending'")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether a row of {@code row}'s lane other than {@code id} is in flight. */
    static boolean laneBusy(Sql c, PendingDelivery row, long id) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT 1 FROM outbox WHERE destination = ? AND group_id = ? "
                + "AND state = 'sending' AND id <> ? LIMIT 1")) {
            s.setString(1, row.notification().destination());
            s.setString(2, row.groupId());
            s.setLong(3, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
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

    static PendingDelivery delivery(ResultSet rs) throws SQLException {
        StoreJson.Payload p = StoreJson.readPayload(rs.getString(8));
        Notification n = new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(6), AlertStatus.fromWire(rs.getString(7)), p.alerts(), p.groupLabels(), p.commonLabels(),
                p.commonAnnotations(), rs.getString(13), Instant.ofEpochMilli(rs.getLong(10)), rs.getInt(9),
                rs.getString(15), rs.getString(16));
        return new PendingDelivery(n, rs.getString(5), rs.getString(14), Instant.ofEpochMilli(rs.getLong(11)),
                Instant.ofEpochMilli(rs.getLong(12)));
    }

    /**
     * A new pending row; returns its id.
     *
     * @param claimedBy  the replica that delivers it, or null (one process owns the store)
     * @param leaseUntil until when that claim holds unless renewed, or null
     */
    private static final String INSERT = """
            INSERT INTO outbox (route_id, receiver, destination, channel_type, group_key, alert_status, payload,
              external_url, state, attempts, last_error, created_at, accepted_at, next_attempt_at, finished_at,
              group_id, idempotency_key, claimed_by, lease_until, notification_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, ?, ?, ?, NULL, ?, ?, ?, ?, ?)""";

    static long insert(Sql c, Notification n, String channelType, String groupId, String payload, long acceptedAt,
                       long nextAttemptAt, String claimedBy, Long leaseUntil) throws SQLException {
        try (PreparedStatement insert = c.prepare(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            bind(insert, n, channelType, groupId, payload, acceptedAt, nextAttemptAt, claimedBy, leaseUntil);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement insert, Notification n, String channelType, String groupId,
                             String payload, long acceptedAt, long nextAttemptAt, String claimedBy, Long leaseUntil)
            throws SQLException {
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
        insert.setString(14, claimedBy);
        if (leaseUntil == null) {
            insert.setNull(15, java.sql.Types.BIGINT);
        } else {
            insert.setLong(15, leaseUntil);
        }
        insert.setString(16, n.notificationReason());
    }

    /** A row to insert: {@code n} without its id yet. */
    record NewRow(Notification n, String channelType, String groupId, String payload, long acceptedAt,
                  long nextAttemptAt) {
    }

    /**
     * Inserts the rows, as one JDBC batch on PostgreSQL ({@code batch}: one round trip, the ids from its generated
     * keys), and returns them as stored, in their order.
     */
    static List<PendingDelivery> insertAll(Sql c, List<NewRow> rows, String claimedBy, Long leaseUntil, boolean batch)
            throws SQLException {
        long[] ids = new long[rows.size()];
        if (!batch) {
            for (int i = 0; i < rows.size(); i++) {
                NewRow r = rows.get(i);
                ids[i] = insert(c, r.n(), r.channelType(), r.groupId(), r.payload(), r.acceptedAt(), r.nextAttemptAt(),
                        claimedBy, leaseUntil);
            }
        } else if (!rows.isEmpty()) {
            try (PreparedStatement insert = c.prepare(INSERT, Statement.RETURN_GENERATED_KEYS)) {
                for (NewRow r : rows) {
                    bind(insert, r.n(), r.channelType(), r.groupId(), r.payload(), r.acceptedAt(), r.nextAttemptAt(),
                            claimedBy, leaseUntil);
                    insert.addBatch();
                }
                insert.executeBatch();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    for (int i = 0; i < ids.length; i++) {
                        if (!keys.next()) {
                            throw new SQLException("the outbox insert returned " + i + " ids for " + ids.length + " rows");
                        }
                        ids[i] = keys.getLong("id");
                    }
                }
            }
        }
        List<PendingDelivery> result = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            NewRow r = rows.get(i);
            Notification n = r.n();
            Notification stored = new Notification(ids[i], n.route(), n.receiver(), n.destination(), n.groupKey(),
                    n.status(), n.alerts(), n.groupLabels(), n.commonLabels(), n.commonAnnotations(), n.externalUrl(),
                    n.createdAt(), 0, n.idempotencyKey(), n.notificationReason());
            result.add(new PendingDelivery(stored, r.channelType(), r.groupId(), Instant.ofEpochMilli(r.acceptedAt()),
                    Instant.ofEpochMilli(r.nextAttemptAt())));
        }
        return result;
    }

    /** Supersedes pending rows a flush replaced by newer ones (as {@link #supersede}), as one JDBC batch. */
    static void supersedeAll(Sql c, List<Long> ids, Instant at) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement u = c.prepare("UPDATE outbox SET state = ?, finished_at = ? WHERE id = ? "
                + "AND state IN (?, ?)")) {
            for (long id : ids) {
                u.setString(1, SUPERSEDED);
                u.setLong(2, at.toEpochMilli());
                u.setLong(3, id);
                u.setString(4, PENDING);
                u.setString(5, SENDING);
                u.addBatch();
            }
            u.executeBatch();
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
