package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.GroupMessage;
import io.opsgate.alerts.model.Notification;
import com.zaxxer.hikari.HikariDataSource;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.database.Databases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
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
 * {@link AlertStore} over JDBC, on SQLite or PostgreSQL. The statements are portable SQL (upserts with
 * {@code ON CONFLICT ... DO UPDATE}, instants as epoch milliseconds in BIGINT, JSON in TEXT); what differs is how
 * operations reach the database ({@link Transactions}) and, on PostgreSQL, which several replicas share, the locks
 * that keep them from doing the same work twice:
 * <ul>
 * <li><b>Group lock first.</b> Every operation that writes a group's alert state or its outbox lanes first locks the
 *     group's {@code alert_group} row, several in group id order: an ingest (creating the row if needed), a flush
 *     ({@code FOR UPDATE SKIP LOCKED}: a group another replica is flushing is left to it), a claim, a retry, a
 *     takeover. So the same alert from two Alertmanager peers at two replicas at the same instant is one incident
 *     (the second ingest waits, then sees the first's commit: a copy), a due group is flushed by one replica, and a
 *     lane's rows change under one lock at a time. Locks taken in one order cannot deadlock.</li>
 * <li><b>Claims.</b> Outbox rows carry the replica that delivers them ({@code claimed_by}) and until when
 *     ({@code lease_until}); a replica renews its claims every third of the lease ({@link #maintainClaims}), claims
 *     a row as {@code sending} only when no other request of its lane is in flight anywhere, and takes over rows
 *     whose lease expired: a dead replica's requests in flight are sent again, same key, {@code attempt > 0}.</li>
 * </ul>
 * SQLite needs neither: one gateway owns the file (an exclusive lock).
 * <p>
 * Dedupe is the incident model of (route, fingerprint), {@link Incident}: copies from other Alertmanager peers
 * (whatever {@code startsAt} they carry), retries, group re-sends and lagging peers' stale copies change nothing;
 * only opening and closing an incident are state changes that reach the outbox.
 */
public final class JdbcAlertStore implements AlertStore {
    /**
     * What an ingest does to a group row that exists, for the single-webhook upsert here and the batched one in
     * {@link BatchIngest}: a flush time already set stays; a group notified less than group_interval ago waits for it.
     */
    static final String GROUP_UPSERT_CONFLICT = """
                ON CONFLICT (group_id) DO UPDATE SET receivers = excluded.receivers,
                  notification_reason = excluded.notification_reason,
                  group_key = excluded.group_key, external_url = excluded.external_url,
                  repeat_interval_ms = excluded.repeat_interval_ms, group_interval_ms = excluded.group_interval_ms,
                  flush_at = CASE
                    WHEN alert_group.flush_at IS NOT NULL THEN alert_group.flush_at
                    WHEN alert_group.last_notified_at IS NOT NULL
                         AND alert_group.last_notified_at + excluded.group_interval_ms > excluded.flush_at
                      THEN alert_group.last_notified_at + excluded.group_interval_ms
                    ELSE excluded.flush_at END""";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAlertStore.class);
    private static final int QUEUE_CAPACITY = 20_000;
    private static final int MAX_BATCH = 512;

    private final Transactions writer;
    /** Null when one process owns the store (SQLite). */
    private final Sharing sharing;

    /**
     * How this replica shares the store with others.
     *
     * @param replicaId names this process in {@code claimed_by}; unique per run
     * @param lease     how long a claim lasts unless renewed
     */
    record Sharing(String replicaId, Duration lease) {
        long until(Instant now) {
            return now.plus(lease).toEpochMilli();
        }
    }

    /**
     * The time a caller asked at, moved on by how long the request then waited for a connection and its batch: a
     * lease counted from the asking time alone would be shortened by that wait, and under load (the pool's queue
     * many seconds long) a renewal or claim could commit a lease that is already near its end, so that another
     * replica takes over, and sends again, a row this replica is about to send or is sending.
     */
    private record Asked(Instant at, long nanos) {
        static Asked now(Instant at) {
            return new Asked(at, System.nanoTime());
        }

        Instant whenRun() {
            return at.plusNanos(Math.max(0, System.nanoTime() - nanos));
        }
    }

    /** PostgreSQL: webhooks that arrive together share a transaction ({@link BatchIngest}). Null on SQLite. */
    private final Transactions.Batched<BatchIngest.Request, IngestResult> batchedIngest;
    /** Outcomes of deliveries (sent, failed), committed together when they come together. */
    private final Transactions.Batched<Finish, Void> finishes;
    /** PostgreSQL: claims that arrive together share a transaction ({@link #claimAll}). Null on SQLite. */
    private final Transactions.Batched<ClaimRequest, Claim> claims;

    private JdbcAlertStore(Transactions writer, Sharing sharing) {
        this.writer = writer;
        this.sharing = sharing;
        this.batchedIngest = sharing == null ? null : writer.batching("ingest", BatchIngest::run);
        this.finishes = writer.batching("delivery outcome", JdbcAlertStore::finishAll);
        this.claims = sharing == null ? null : writer.batching("claim", this::claimAll);
    }

    public static JdbcAlertStore sqlite(Vertx vertx, Path file) throws SQLException {
        return new JdbcAlertStore(new GroupCommitWriter(vertx, SqliteEngine.open(file), QUEUE_CAPACITY, MAX_BATCH,
                "opsgate-alert-store " + file.getFileName()), null);
    }

    /**
     * Opens a PostgreSQL store that other replicas may share, after migrating its schema.
     *
     * @param replicaId this process's name in the outbox's claims; unique per run
     */
    public static JdbcAlertStore postgres(Vertx vertx, OpsGateConfig.Database database, Duration lease, String replicaId)
            throws SQLException {
        Migrations.migrate(Migrations.Engine.POSTGRES, Databases.unpooled(database), Databases.describe(database));
        HikariDataSource pool = Databases.pool(database, "alert-store");
        return new JdbcAlertStore(new PooledTransactions(vertx, pool, database.poolSize(), QUEUE_CAPACITY,
                "opsgate-alert-store", pool), new Sharing(replicaId, lease));
    }

    /** Webhooks ingested so far, in how many transactions, batches split; zeros on SQLite. For tests. */
    long[] ingestBatches() {
        return batchedIngest == null ? new long[] {0, 0, 0} : batchedIngest.committed();
    }

    /** A replica id: host, process and a random part, so that a restarted process never inherits its claims. */
    public static String newReplicaId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public Optional<Duration> claimRenewal() {
        return sharing == null ? Optional.empty() : Optional.of(sharing.lease().dividedBy(3));
    }

    @Override
    public Future<IngestResult> ingest(List<IncomingAlert> alerts, Instant acceptedAt) {
        if (batchedIngest != null) {
            return batchedIngest.submit(new BatchIngest.Request(List.copyOf(alerts), acceptedAt));
        }
        return writer.submit(c -> ingest(c, alerts, acceptedAt));
    }

    /**
     * Locks one group's row (PostgreSQL {@code FOR UPDATE}), waiting for a holder unless {@code skipLocked}.
     *
     * @return false when the row does not exist or, with {@code skipLocked}, another transaction holds it
     */
    private static boolean lockGroup(Sql c, String groupId, boolean skipLocked) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT 1 FROM alert_group WHERE group_id = ? FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED" : ""))) {
            s.setString(1, groupId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
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
                """ + JdbcAlertStore.GROUP_UPSERT_CONFLICT)) {
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

    /** {@code claimed_by} and {@code lease_until} of a row this replica writes: its own, or none (SQLite). */
    private record Owner(String replicaId, Long leaseUntil) {
        static final Owner NONE = new Owner(null, null);
    }

    private Owner owner(Instant now) {
        return sharing == null ? Owner.NONE : new Owner(sharing.replicaId(), sharing.until(now));
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

    /**
     * In phases over all due groups rather than group by group, so that on PostgreSQL a flush of any number of
     * groups is a fixed number of statements (a replica's flushes run one at a time: per-group round trips made the
     * outbox fall seconds behind the ingest). Groups are independent of each other, so the order of the phases
     * changes nothing.
     */
    private FlushResult flush(Sql c, Instant now, Map<String, List<Destination>> receivers)
            throws SQLException {
        long nowMs = now.toEpochMilli();
        List<Group> due = new ArrayList<>();
        // Two queries rather than one with OR, so that each can use its index. Shared: a group that another replica
        // is flushing (or ingesting into) is left to it; its commit will make it due again here if it still is.
        String lock = sharing == null ? "" : " ORDER BY group_id FOR UPDATE SKIP LOCKED";
        dueGroups(c, "flush_at <= ?" + lock, nowMs, false, due);
        dueGroups(c, "next_repeat_at <= ? AND flush_at IS NULL" + lock, nowMs, true, due);
        if (due.isEmpty()) {
            return new FlushResult(List.of(), List.of(), nextDue(c));
        }
        List<String> fresh = due.stream().filter(g -> !g.reminder()).map(Group::groupId).toList();
        Map<String, List<StoredAlert>> alerts = pendingAlerts(c, fresh);
        for (Group g : due) {
            if (g.reminder()) {
                alerts.put(g.groupId(), firingAlerts(c, g.groupId(), nowMs));
            }
        }
        List<Outbox.Lane> lanes = new ArrayList<>();
        for (Group g : due) {
            if (alerts.getOrDefault(g.groupId(), List.of()).isEmpty()) {
                continue;
            }
            for (String receiver : g.receivers()) {
                for (Destination d : receivers.getOrDefault(receiver, List.of())) {
                    lanes.add(new Outbox.Lane(d.id(), g.groupId()));
                }
            }
        }
        Map<Outbox.Lane, PendingDelivery> older = Outbox.pendingInLanes(c, lanes, sharing != null);
        List<Outbox.NewRow> rows = new ArrayList<>();
        List<Long> superseded = new ArrayList<>();
        for (Group g : due) {
            List<StoredAlert> stored = alerts.getOrDefault(g.groupId(), List.of());
            if (!stored.isEmpty()) {
                planOutbox(g, stored, now, receivers, older, superseded, rows);
            }
        }
        Outbox.supersedeAll(c, superseded, now);
        Owner owner = owner(now);
        List<PendingDelivery> created = Outbox.insertAll(c, rows, owner.replicaId(), owner.leaseUntil(),
                sharing != null);
        markNotified(c, fresh, nowMs);
        java.util.Set<String> firing = stillFiring(c, fresh, nowMs);
        try (PreparedStatement u = c.prepare("UPDATE alert_group SET flush_at = NULL, next_repeat_at = ?, "
                + "last_notified_at = CASE WHEN ? = 1 THEN ? ELSE last_notified_at END WHERE group_id = ?")) {
            for (Group g : due) {
                boolean notified = !alerts.getOrDefault(g.groupId(), List.of()).isEmpty();
                boolean stillFiring = g.reminder() ? notified : firing.contains(g.groupId());
                if (stillFiring && g.repeatIntervalMs() > 0) {
                    u.setLong(1, nowMs + g.repeatIntervalMs());
                } else {
                    u.setNull(1, Types.BIGINT);
                }
                u.setInt(2, notified ? 1 : 0);
                u.setLong(3, nowMs);
                u.setString(4, g.groupId());
                u.addBatch();
            }
            u.executeBatch();
        }
        return new FlushResult(created, superseded, nextDue(c));
    }

    /** The pending alerts of each group, by fingerprint: on PostgreSQL one query for all. */
    private Map<String, List<StoredAlert>> pendingAlerts(Sql c, List<String> groupIds) throws SQLException {
        Map<String, List<StoredAlert>> result = new HashMap<>();
        if (groupIds.isEmpty()) {
            return result;
        }
        if (sharing == null) {
            for (String groupId : groupIds) {
                result.put(groupId, pendingAlerts(c, groupId));
            }
            return result;
        }
        try (PreparedStatement s = c.prepare("SELECT fingerprint, status, starts_at, ends_at, labels, annotations, "
                + "generator_url, accepted_at, group_id FROM alert_state WHERE group_id = ANY(?::text[]) "
                + "AND pending = 1 ORDER BY group_id, fingerprint")) {
            s.setArray(1, c.connection().createArrayOf("text", groupIds.toArray(String[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getString(9), k -> new ArrayList<>()).add(new StoredAlert(
                            new StoreJson.RawAlert(alert(rs), rs.getString(5), rs.getString(6)), rs.getLong(8)));
                }
            }
        }
        return result;
    }

    private void markNotified(Sql c, List<String> groupIds, long nowMs) throws SQLException {
        if (groupIds.isEmpty()) {
            return;
        }
        if (sharing == null) {
            try (PreparedStatement u = c.prepare(
                    "UPDATE alert_state SET pending = 0, notified_at = ? WHERE group_id = ? AND pending = 1")) {
                for (String groupId : groupIds) {
                    u.setLong(1, nowMs);
                    u.setString(2, groupId);
                    u.executeUpdate();
                }
            }
            return;
        }
        try (PreparedStatement u = c.prepare("UPDATE alert_state SET pending = 0, notified_at = ? "
                + "WHERE group_id = ANY(?::text[]) AND pending = 1")) {
            u.setLong(1, nowMs);
            u.setArray(2, c.connection().createArrayOf("text", groupIds.toArray(String[]::new)));
            u.executeUpdate();
        }
    }

    /** Which of these groups still have a notified alert firing (after {@link #markNotified}). */
    private java.util.Set<String> stillFiring(Sql c, List<String> groupIds, long nowMs) throws SQLException {
        java.util.Set<String> result = new java.util.HashSet<>();
        if (groupIds.isEmpty()) {
            return result;
        }
        if (sharing == null) {
            for (String groupId : groupIds) {
                if (hasFiring(c, groupId, nowMs)) {
                    result.add(groupId);
                }
            }
            return result;
        }
        try (PreparedStatement s = c.prepare("SELECT DISTINCT group_id FROM alert_state WHERE group_id = ANY(?::text[]) "
                + "AND pending = 0 AND status = 'firing' AND (ends_at IS NULL OR ends_at > ?)")) {
            s.setArray(1, c.connection().createArrayOf("text", groupIds.toArray(String[]::new)));
            s.setLong(2, nowMs);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        }
        return result;
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
     * One row per destination of the group's receivers, each superseding the lane's pending row ({@link Outbox}):
     * the rows to insert go to {@code rows}, the ids of rows replaced to {@code superseded} (for the dispatcher to
     * drop; the caller supersedes them in the store).
     */
    private static void planOutbox(Group g, List<StoredAlert> stored, Instant now,
                                   Map<String, List<Destination>> receivers, Map<Outbox.Lane, PendingDelivery> lanes,
                                   List<Long> superseded, List<Outbox.NewRow> rows) {
        List<StoreJson.RawAlert> fresh = stored.stream().map(StoredAlert::raw).toList();
        long acceptedAt = g.reminder() ? now.toEpochMilli()
                : stored.stream().mapToLong(StoredAlert::acceptedAt).min().orElse(now.toEpochMilli());
        String freshPayload = null;
        for (String receiver : g.receivers()) {
            List<Destination> destinations = receivers.get(receiver);
            if (destinations == null) {
                LOG.error("route {} names receiver {}, which is not configured; {} alert(s) not notified there",
                        g.routeId(), receiver, fresh.size());
                continue;
            }
            for (Destination d : destinations) {
                PendingDelivery older = lanes.get(new Outbox.Lane(d.id(), g.groupId()));
                List<StoreJson.RawAlert> alerts = fresh;
                long accepted = acceptedAt;
                long due = now.toEpochMilli();
                String payload;
                if (older != null) {
                    alerts = Outbox.merge(rawOf(older), fresh);
                    accepted = Math.min(accepted, older.acceptedAt().toEpochMilli());
                    due = Math.max(due, older.dueAt().toEpochMilli());
                    superseded.add(older.notification().id());
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
                rows.add(new Outbox.NewRow(n, d.type(), g.groupId(), payload, accepted, due));
            }
        }
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
        if (sharing != null) {
            return writer.submit(c -> takeOver(c, Instant.now(), true));
        }
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
    public Future<Claim> claim(long id, int attempts, Instant at) {
        if (claims != null) {
            return claims.submit(new ClaimRequest(id, attempts, Asked.now(at)));
        }
        // SQLite: one dispatcher owns the file and keeps its lanes in order itself.
        return writer.submit(c -> {
            try (PreparedStatement u = c.prepare(
                    "UPDATE outbox SET state = ?, attempts = ? WHERE id = ? AND state = ?")) {
                u.setString(1, Outbox.SENDING);
                u.setInt(2, attempts);
                u.setLong(3, id);
                u.setString(4, Outbox.PENDING);
                if (u.executeUpdate() == 0) {
                    return new Claim.Gone();
                }
            }
            return claimed(c, id, attempts);
        });
    }

    private record ClaimRequest(long id, int attempts, Asked asked) {
    }

    /**
     * Claims that arrive together, in one transaction: the groups of all their rows locked first, in group id
     * order as every multi-group locker takes them, then each claim as alone.
     */
    private List<Claim> claimAll(Sql c, List<ClaimRequest> claims) throws SQLException {
        java.util.Set<String> groups = new java.util.TreeSet<>();
        try (PreparedStatement s = c.prepare("SELECT group_id FROM outbox WHERE id = ANY(?::bigint[])")) {
            s.setArray(1, c.connection().createArrayOf("bigint",
                    claims.stream().map(ClaimRequest::id).toArray(Long[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    groups.add(rs.getString(1));
                }
            }
        }
        if (!groups.isEmpty()) {
            try (PreparedStatement s = c.prepare("SELECT 1 FROM alert_group WHERE group_id = ANY(?::text[]) "
                    + "ORDER BY group_id FOR UPDATE")) {
                s.setArray(1, c.connection().createArrayOf("text", groups.toArray(String[]::new)));
                s.executeQuery().close();
            }
        }
        List<Claim> result = new ArrayList<>(claims.size());
        for (ClaimRequest r : claims) {
            result.add(claimLocked(c, r.id(), r.attempts(), r.asked().whenRun()));
        }
        return result;
    }

    /**
     * One claim on a shared store, its group already locked: one statement when the row is free (the usual case),
     * which answers with the row as claimed; a few more to tell a busy lane from a row that is gone.
     */
    private Claim claimLocked(Sql c, long id, int attempts, Instant at) throws SQLException {
        try (PreparedStatement u = c.prepare("""
                UPDATE outbox SET state = 'sending', attempts = ?, claimed_by = ?, lease_until = ?
                WHERE id = ? AND state = 'pending' AND (claimed_by IS NULL OR claimed_by = ? OR lease_until < ?)
                  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.destination = outbox.destination
                                  AND o.group_id = outbox.group_id AND o.state = 'sending' AND o.id <> outbox.id)
                """ + " RETURNING " + Outbox.COLUMNS)) {
            u.setInt(1, attempts);
            u.setString(2, sharing.replicaId());
            u.setLong(3, sharing.until(at));
            u.setLong(4, id);
            u.setString(5, sharing.replicaId());
            u.setLong(6, at.toEpochMilli());
            try (ResultSet rs = u.executeQuery()) {
                if (rs.next()) {
                    PendingDelivery row = Outbox.delivery(rs);
                    return new Claim.Claimed(new PendingDelivery(row.notification().withAttempt(attempts - 1),
                            row.channelType(), row.groupId(), row.acceptedAt(), row.dueAt()));
                }
            }
        }
        Optional<PendingDelivery> now = Outbox.byId(c, id);
        boolean ours = now.isPresent() && Outbox.claimable(c, id, sharing.replicaId(), at.toEpochMilli());
        return ours && Outbox.laneBusy(c, now.get(), id) ? new Claim.LaneBusy() : new Claim.Gone();
    }

    /** The row just claimed as the attempt about to start sees it ({@code attempt}: the attempts before it). */
    private static Claim claimed(Sql c, long id, int attempts) throws SQLException {
        PendingDelivery row = Outbox.byId(c, id).orElseThrow();
        return new Claim.Claimed(new PendingDelivery(row.notification().withAttempt(attempts - 1), row.channelType(),
                row.groupId(), row.acceptedAt(), row.dueAt()));
    }

    @Override
    public Future<List<PendingDelivery>> maintainClaims(Instant now, java.util.Collection<Long> inFlight) {
        if (sharing == null) {
            return Future.succeededFuture(List.of());
        }
        List<Long> sending = List.copyOf(inFlight);
        Asked asked = Asked.now(now);
        return writer.submit(c -> {
            long leaseUntil = sharing.until(asked.whenRun());
            // Rows another transaction holds are being changed (superseded, claimed, finished): skip, never wait.
            try (PreparedStatement u = c.prepare("UPDATE outbox SET lease_until = ? WHERE id IN (SELECT id FROM outbox "
                    + "WHERE claimed_by = ? AND state = 'pending' FOR UPDATE SKIP LOCKED)")) {
                u.setLong(1, leaseUntil);
                u.setString(2, sharing.replicaId());
                u.executeUpdate();
            }
            // Only the requests really in flight here: a row left sending because its outcome could not be recorded
            // expires, and is taken over (re-sent with its key) instead of holding its lane forever.
            try (PreparedStatement u = c.prepare("UPDATE outbox SET lease_until = ? WHERE id = ? AND claimed_by = ? "
                    + "AND state = 'sending'")) {
                for (long id : sending) {
                    u.setLong(1, leaseUntil);
                    u.setLong(2, id);
                    u.setString(3, sharing.replicaId());
                    u.addBatch();
                }
                if (!sending.isEmpty()) {
                    u.executeBatch();
                }
            }
            return null;
        }).compose(v -> writer.submit(c -> takeOver(c, now, false).pending()));
    }

    /**
     * Takes the rows whose claim expired, or that nobody claimed, as this replica's: a {@code sending} one is sent
     * again (same key) unless a newer row of its lane waits, which then takes its alerts, as at a restart. Groups
     * another transaction holds are left for the next round.
     *
     * @param mine also the rows claimed under this replica's id (at start: a previous run under the same id)
     */
    private Recovery takeOver(Sql c, Instant now, boolean mine) throws SQLException {
        long nowMs = now.toEpochMilli();
        String self = mine ? sharing.replicaId() : null;
        Map<Long, String> candidates = new java.util.TreeMap<>();
        try (PreparedStatement s = c.prepare("SELECT id, group_id FROM outbox WHERE state IN ('pending', 'sending') "
                + "AND (claimed_by IS NULL OR claimed_by = ? OR lease_until < ?) ORDER BY id LIMIT 1000")) {
            s.setString(1, self == null ? "" : self);
            s.setLong(2, nowMs);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    candidates.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        java.util.Set<String> locked = new java.util.HashSet<>();
        for (String groupId : new java.util.TreeSet<>(candidates.values())) {
            if (lockGroup(c, groupId, true) || !groupExists(c, groupId)) {
                locked.add(groupId);
            }
        }
        List<Long> taken = new ArrayList<>();
        int resent = 0;
        int dropped = 0;
        for (Map.Entry<Long, String> candidate : candidates.entrySet()) {
            long id = candidate.getKey();
            if (!locked.contains(candidate.getValue()) || !Outbox.claimable(c, id, self, nowMs)) {
                continue;
            }
            PendingDelivery row = Outbox.byId(c, id).orElseThrow();
            boolean inFlight = Outbox.isSending(c, id);
            if (inFlight) {
                Notification n = row.notification();
                Optional<PendingDelivery> newer = Outbox.inLane(c, n.destination(), row.groupId(), Outbox.PENDING, id);
                if (newer.isPresent()) {
                    Outbox.foldInto(c, row, newer.get());
                    Outbox.supersede(c, id, null, "in flight on a replica that stopped; superseded by notification "
                            + newer.get().notification().id(), now);
                    dropped++;
                    continue;
                }
                resent++;
            }
            try (PreparedStatement u = c.prepare("UPDATE outbox SET state = 'pending', claimed_by = ?, lease_until = ? "
                    + "WHERE id = ?")) {
                u.setString(1, sharing.replicaId());
                u.setLong(2, sharing.until(now));
                u.setLong(3, id);
                u.executeUpdate();
            }
            taken.add(id);
        }
        List<PendingDelivery> rows = new ArrayList<>();
        for (long id : taken) {
            Outbox.byId(c, id).ifPresent(rows::add); // as they are now: a fold above may have changed one
        }
        if (!rows.isEmpty() && !mine) {
            LOG.info("took over {} notification(s) whose replica's claim expired ({} in flight there, sent again with"
                    + " the same key; {} folded into a newer state)", rows.size() + dropped, resent, dropped);
        }
        return new Recovery(rows, resent, dropped);
    }

    private static boolean groupExists(Sql c, String groupId) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT 1 FROM alert_group WHERE group_id = ?")) {
            s.setString(1, groupId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
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
        return finishes.submit(new Finish(id, attempts, state, error, at));
    }

    /** A delivery's outcome: sent or failed for good. */
    private record Finish(long id, int attempts, DeliveryState state, String error, Instant at) {
    }

    /**
     * One statement per row, sent as one JDBC batch (one round trip on PostgreSQL). Each touches its own row only,
     * and takes no group lock, so rows finished together cannot deadlock with anything.
     */
    private static List<Void> finishAll(Sql c, List<Finish> rows) throws SQLException {
        try (PreparedStatement u = c.prepare("UPDATE outbox SET state = ?, attempts = ?, "
                + "last_error = COALESCE(?, last_error), finished_at = ? WHERE id = ? "
                + "AND state IN ('pending', 'sending')")) {
            for (Finish f : rows) {
                u.setString(1, f.state().wire());
                u.setInt(2, f.attempts());
                u.setString(3, f.error());
                u.setLong(4, f.at().toEpochMilli());
                u.setLong(5, f.id());
                u.addBatch();
            }
            u.executeBatch();
        }
        return java.util.Collections.nCopies(rows.size(), null);
    }

    @Override
    public Future<Optional<PendingDelivery>> markRetry(long id, int attempts, Instant nextAttemptAt, String error) {
        return writer.submit(c -> {
            Optional<PendingDelivery> row = Outbox.byId(c, id);
            if (row.isEmpty()) {
                return Optional.<PendingDelivery>empty();
            }
            PendingDelivery old = row.get();
            if (sharing != null) {
                lockGroup(c, old.groupId(), false);
            }
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
