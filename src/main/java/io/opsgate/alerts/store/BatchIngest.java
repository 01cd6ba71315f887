package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ingest of many webhooks in one PostgreSQL transaction (the group commit of {@link PooledTransactions}), with
 * five statements whatever their number: lock the groups of all of them, read the state of all their alerts, then
 * write all changed alerts, all joined ones and all touched groups, each with one multi-row statement over arrays.
 * <p>
 * The outcome is the one of ingesting the webhooks one after the other in their order: the incident model
 * ({@link Incident}) runs here over the states as read, each webhook's copies seeing what the ones before it in the
 * batch did; what is written is each alert's last state. Concurrent ingests on other replicas cannot interleave:
 * the groups are locked first ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE false}, which creates the missing
 * rows and locks the existing ones without writing them) in group id order, the order every multi-group locker
 * takes, so two batches never wait on each other in a cycle, and once they are held no other transaction can change
 * these alerts (every writer of an alert holds its group's lock).
 */
final class BatchIngest {
    /** One webhook's alerts and when the gateway accepted it. */
    record Request(List<IncomingAlert> alerts, Instant acceptedAt) {
    }

    private record Key(String routeId, String fingerprint) {
    }

    /** What the batch does to one alert: its state after the batch and, if it changed, the last change. */
    private static final class Row {
        Incident state;
        boolean joined;
        IncomingAlert changedBy;
        Instant firstChangeAt;
        Instant lastChangeAt;
    }

    /** What the batch does to one group: flush time from its first toucher, the rest from its last. */
    private record GroupWrite(IncomingAlert last, Instant flushAt) {
    }

    private BatchIngest() {
    }

    static List<IngestResult> run(Sql c, List<Request> requests) throws SQLException {
        Connection connection = c.connection();
        Map<String, IncomingAlert> groups = new TreeMap<>();
        Map<Key, Row> rows = new LinkedHashMap<>();
        for (Request r : requests) {
            for (IncomingAlert in : r.alerts()) {
                groups.putIfAbsent(in.groupId(), in);
                rows.putIfAbsent(new Key(in.routeId(), in.alert().fingerprint()), new Row());
            }
        }
        lockGroups(c, connection, groups);
        read(c, connection, rows);

        List<IngestResult> results = new ArrayList<>(requests.size());
        Map<String, GroupWrite> touched = new LinkedHashMap<>();
        for (Request r : requests) {
            int changed = 0;
            int duplicates = 0;
            Instant earliest = null;
            Map<String, IncomingAlert> touchedHere = new LinkedHashMap<>();
            for (IncomingAlert in : r.alerts()) {
                Alert a = in.alert();
                Row row = rows.get(new Key(in.routeId(), a.fingerprint()));
                Incident.Step step = Incident.apply(row.state, a.status(), a.startsAt(), a.endsAt(), r.acceptedAt());
                if (!step.outcome().changed()) {
                    duplicates++;
                    if (step.outcome() == Incident.Outcome.JOINED && !step.next().equals(row.state)) {
                        row.state = step.next();
                        row.joined = true;
                    }
                    continue;
                }
                changed++;
                row.state = step.next();
                row.changedBy = in;
                if (row.firstChangeAt == null) {
                    row.firstChangeAt = r.acceptedAt();
                }
                row.lastChangeAt = r.acceptedAt();
                touchedHere.putIfAbsent(in.groupId(), in);
            }
            for (IncomingAlert in : touchedHere.values()) {
                Instant flushAt = r.acceptedAt().plus(in.groupWait());
                GroupWrite before = touched.get(in.groupId());
                touched.put(in.groupId(), new GroupWrite(in, before == null ? flushAt : before.flushAt()));
                earliest = earliest == null || flushAt.isBefore(earliest) ? flushAt : earliest;
            }
            results.add(new IngestResult(changed, duplicates, Optional.ofNullable(earliest)));
        }
        writeChanged(c, connection, rows);
        writeJoined(c, connection, rows);
        writeGroups(c, connection, touched);
        return results;
    }

    private static void lockGroups(Sql c, Connection connection, Map<String, IncomingAlert> groups)
            throws SQLException {
        GroupColumns columns = GroupColumns.of(List.copyOf(groups.values()));
        // The rows' flush time is set below, by the ingest, when an alert changes. ORDER BY: the rows are inserted
        // or locked in this order (byte order, as Java sorts the ids and as FOR UPDATE ... ORDER BY group_id locks).
        try (PreparedStatement s = c.prepare("""
                INSERT INTO alert_group (group_id, route_id, receivers, group_labels, group_key, external_url,
                  repeat_interval_ms, group_interval_ms, flush_at, next_repeat_at, last_notified_at)
                SELECT g, r, rc, gl, gk, u, ri, gi, NULL, NULL, NULL
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                            ?::bigint[]) AS t(g, r, rc, gl, gk, u, ri, gi)
                ORDER BY g COLLATE "C"
                ON CONFLICT (group_id) DO UPDATE SET group_id = excluded.group_id WHERE false""")) {
            columns.bind(s, connection);
            s.executeUpdate();
        }
    }

    private static void read(Sql c, Connection connection, Map<Key, Row> rows) throws SQLException {
        String[] route = new String[rows.size()];
        String[] fingerprint = new String[rows.size()];
        int i = 0;
        for (Key k : rows.keySet()) {
            route[i] = k.routeId();
            fingerprint[i++] = k.fingerprint();
        }
        try (PreparedStatement s = c.prepare("""
                SELECT route_id, fingerprint, status, starts_at, ends_at, horizon FROM alert_state
                WHERE (route_id, fingerprint) IN (SELECT * FROM unnest(?::text[], ?::text[]))""")) {
            s.setArray(1, connection.createArrayOf("text", route));
            s.setArray(2, connection.createArrayOf("text", fingerprint));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Row row = rows.get(new Key(rs.getString(1), rs.getString(2)));
                    if (row != null) {
                        row.state = new Incident(AlertStatus.fromWire(rs.getString(3)),
                                Instant.ofEpochMilli(rs.getLong(4)), instant(rs, 5), instant(rs, 6));
                    }
                }
            }
        }
    }

    private static void writeChanged(Sql c, Connection connection, Map<Key, Row> rows) throws SQLException {
        List<Map.Entry<Key, Row>> changed = rows.entrySet().stream().filter(e -> e.getValue().changedBy != null)
                .toList();
        if (changed.isEmpty()) {
            return;
        }
        int n = changed.size();
        String[] route = new String[n];
        String[] fingerprint = new String[n];
        String[] group = new String[n];
        String[] status = new String[n];
        Long[] startsAt = new Long[n];
        Long[] endsAt = new Long[n];
        Long[] horizon = new Long[n];
        String[] labels = new String[n];
        String[] annotations = new String[n];
        String[] url = new String[n];
        Long[] receivedAt = new Long[n];
        Long[] acceptedAt = new Long[n];
        for (int i = 0; i < n; i++) {
            Row row = changed.get(i).getValue();
            Alert a = row.changedBy.alert();
            route[i] = row.changedBy.routeId();
            fingerprint[i] = a.fingerprint();
            group[i] = row.changedBy.groupId();
            status[i] = row.state.status().wire();
            startsAt[i] = row.state.startsAt().toEpochMilli();
            endsAt[i] = millis(row.state.endsAt());
            horizon[i] = millis(row.state.horizon());
            labels[i] = StoreJson.map(a.labels());
            annotations[i] = StoreJson.map(a.annotations());
            url[i] = a.generatorUrl();
            receivedAt[i] = row.lastChangeAt.toEpochMilli();
            acceptedAt[i] = row.firstChangeAt.toEpochMilli();
        }
        // accepted_at: when the first change since the group was last notified came in (see JdbcAlertStore).
        try (PreparedStatement s = c.prepare("""
                INSERT INTO alert_state (route_id, fingerprint, group_id, status, starts_at, ends_at, horizon,
                  labels, annotations, generator_url, received_at, accepted_at, pending, notified_at)
                SELECT r, f, g, st, sa, ea, h, l, an, u, ra, aa, 1, NULL
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
                            ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                  AS t(r, f, g, st, sa, ea, h, l, an, u, ra, aa)
                ON CONFLICT (route_id, fingerprint) DO UPDATE SET group_id = excluded.group_id,
                  status = excluded.status, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                  horizon = excluded.horizon, labels = excluded.labels, annotations = excluded.annotations,
                  generator_url = excluded.generator_url, received_at = excluded.received_at,
                  accepted_at = CASE WHEN alert_state.pending = 1 THEN alert_state.accepted_at
                                     ELSE excluded.accepted_at END,
                  pending = 1""")) {
            s.setArray(1, connection.createArrayOf("text", route));
            s.setArray(2, connection.createArrayOf("text", fingerprint));
            s.setArray(3, connection.createArrayOf("text", group));
            s.setArray(4, connection.createArrayOf("text", status));
            s.setArray(5, connection.createArrayOf("bigint", startsAt));
            s.setArray(6, connection.createArrayOf("bigint", endsAt));
            s.setArray(7, connection.createArrayOf("bigint", horizon));
            s.setArray(8, connection.createArrayOf("text", labels));
            s.setArray(9, connection.createArrayOf("text", annotations));
            s.setArray(10, connection.createArrayOf("text", url));
            s.setArray(11, connection.createArrayOf("bigint", receivedAt));
            s.setArray(12, connection.createArrayOf("bigint", acceptedAt));
            s.executeUpdate();
        }
    }

    /** Alerts only joined (a copy of the open incident that moved its start or end): those two columns. */
    private static void writeJoined(Sql c, Connection connection, Map<Key, Row> rows) throws SQLException {
        List<Map.Entry<Key, Row>> joined = rows.entrySet().stream()
                .filter(e -> e.getValue().joined && e.getValue().changedBy == null).toList();
        if (joined.isEmpty()) {
            return;
        }
        int n = joined.size();
        String[] route = new String[n];
        String[] fingerprint = new String[n];
        Long[] startsAt = new Long[n];
        Long[] endsAt = new Long[n];
        for (int i = 0; i < n; i++) {
            route[i] = joined.get(i).getKey().routeId();
            fingerprint[i] = joined.get(i).getKey().fingerprint();
            startsAt[i] = joined.get(i).getValue().state.startsAt().toEpochMilli();
            endsAt[i] = millis(joined.get(i).getValue().state.endsAt());
        }
        try (PreparedStatement s = c.prepare("""
                UPDATE alert_state SET starts_at = t.sa, ends_at = t.ea
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[]) AS t(r, f, sa, ea)
                WHERE alert_state.route_id = t.r AND alert_state.fingerprint = t.f""")) {
            s.setArray(1, connection.createArrayOf("text", route));
            s.setArray(2, connection.createArrayOf("text", fingerprint));
            s.setArray(3, connection.createArrayOf("bigint", startsAt));
            s.setArray(4, connection.createArrayOf("bigint", endsAt));
            s.executeUpdate();
        }
    }

    private static void writeGroups(Sql c, Connection connection, Map<String, GroupWrite> touched)
            throws SQLException {
        if (touched.isEmpty()) {
            return;
        }
        int n = touched.size();
        List<IncomingAlert> last = new ArrayList<>(n);
        Long[] flushAt = new Long[n];
        String[] reason = new String[n];
        int i = 0;
        for (GroupWrite g : touched.values()) {
            last.add(g.last());
            flushAt[i] = g.flushAt().toEpochMilli();
            reason[i] = g.last().notificationReason();
            i++;
        }
        GroupColumns columns = GroupColumns.of(last);
        // The same rules as the single-webhook upsert in JdbcAlertStore: a flush time already set stays; a group
        // notified less than group_interval ago waits for it.
        try (PreparedStatement s = c.prepare("""
                INSERT INTO alert_group (group_id, route_id, receivers, group_labels, group_key, external_url,
                  repeat_interval_ms, group_interval_ms, flush_at, next_repeat_at, last_notified_at,
                  notification_reason)
                SELECT g, r, rc, gl, gk, u, ri, gi, fa, NULL, NULL, nr
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                            ?::bigint[], ?::bigint[], ?::text[]) AS t(g, r, rc, gl, gk, u, ri, gi, fa, nr)
                """ + JdbcAlertStore.GROUP_UPSERT_CONFLICT)) {
            columns.bind(s, connection);
            s.setArray(9, connection.createArrayOf("bigint", flushAt));
            s.setArray(10, connection.createArrayOf("text", reason));
            s.executeUpdate();
        }
    }

    /**
     * A group's own columns, one array per column over the groups of a batch, bound as the first eight parameters of
     * an {@code unnest(...)}: id, route, receivers, labels, group key, external URL, repeat and group interval.
     */
    private record GroupColumns(String[] id, String[] route, String[] receivers, String[] labels, String[] groupKey,
                                String[] url, Long[] repeat, Long[] interval) {
        static GroupColumns of(List<IncomingAlert> groups) {
            int n = groups.size();
            GroupColumns c = new GroupColumns(new String[n], new String[n], new String[n], new String[n],
                    new String[n], new String[n], new Long[n], new Long[n]);
            for (int i = 0; i < n; i++) {
                IncomingAlert in = groups.get(i);
                c.id[i] = in.groupId();
                c.route[i] = in.routeId();
                c.receivers[i] = StoreJson.list(in.receivers());
                c.labels[i] = StoreJson.map(in.groupLabels());
                c.groupKey[i] = in.groupKey();
                c.url[i] = in.externalUrl();
                c.repeat[i] = in.repeatInterval().toMillis();
                c.interval[i] = in.groupInterval().toMillis();
            }
            return c;
        }

        void bind(PreparedStatement s, Connection connection) throws SQLException {
            s.setArray(1, connection.createArrayOf("text", id));
            s.setArray(2, connection.createArrayOf("text", route));
            s.setArray(3, connection.createArrayOf("text", receivers));
            s.setArray(4, connection.createArrayOf("text", labels));
            s.setArray(5, connection.createArrayOf("text", groupKey));
            s.setArray(6, connection.createArrayOf("text", url));
            s.setArray(7, connection.createArrayOf("bigint", repeat));
            s.setArray(8, connection.createArrayOf("bigint", interval));
        }
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

}
