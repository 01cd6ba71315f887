package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The API's reads: keyset pages (a page starts after the key of the previous page's last row, so a page costs an
 * index seek, not a scan of the rows before it, and rows added meanwhile neither repeat nor go missing). Rows are
 * handed to the caller one at a time as the cursor reads them; nothing here keeps a page, let alone the table.
 */
final class PagedReads {
    private PagedReads() {
    }

    /**
     * @param row takes each row; false stops the page there (the caller's byte budget is spent)
     * @return the key to continue after, or empty when the table has no more rows
     */
    static Optional<AlertKey> alerts(Sql c, Optional<AlertKey> after, int limit, Predicate<AlertRecord> row)
            throws SQLException {
        // A row value comparison, which SQLite (3.15+) and PostgreSQL both turn into a seek on the primary key.
        String where = after.isPresent() ? " WHERE (route_id, fingerprint) > (?, ?)" : "";
        try (PreparedStatement s = c.prepare("SELECT fingerprint, status, starts_at, ends_at, labels, annotations, "
                + "generator_url, route_id, group_id, pending, received_at, notified_at FROM alert_state" + where
                + " ORDER BY route_id, fingerprint LIMIT ?")) {
            int i = 1;
            if (after.isPresent()) {
                s.setString(i++, after.get().routeId());
                s.setString(i++, after.get().fingerprint());
            }
            s.setInt(i, limit + 1);
            try (ResultSet rs = s.executeQuery()) {
                AlertKey last = null;
                int taken = 0;
                while (rs.next()) {
                    if (taken == limit) {
                        return Optional.of(last);
                    }
                    AlertRecord r = alertRecord(rs);
                    boolean more = row.test(r);
                    last = new AlertKey(r.routeId(), r.alert().fingerprint());
                    taken++;
                    if (!more) {
                        return rs.next() ? Optional.of(last) : Optional.empty();
                    }
                }
                return Optional.empty();
            }
        }
    }

    /**
     * Outbox rows newest first (descending id), optionally of one state.
     *
     * @return the id to continue below, or empty when there are no older rows
     */
    static Optional<Long> notifications(Sql c, Optional<DeliveryState> state, Optional<Long> before, int limit,
                                        Predicate<OutboxRecord> row) throws SQLException {
        StringBuilder where = new StringBuilder();
        state.ifPresent(x -> where.append(" WHERE state = ?"));
        before.ifPresent(x -> where.append(where.isEmpty() ? " WHERE" : " AND").append(" id < ?"));
        try (PreparedStatement s = c.prepare("SELECT id, route_id, receiver, destination, channel_type, "
                + "alert_status, payload, state, attempts, last_error, created_at, next_attempt_at, finished_at, "
                + "notification_reason FROM outbox" + where + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            if (state.isPresent()) {
                s.setString(i++, state.get().wire());
            }
            if (before.isPresent()) {
                s.setLong(i++, before.get());
            }
            s.setInt(i, limit + 1);
            try (ResultSet rs = s.executeQuery()) {
                long last = 0;
                int taken = 0;
                while (rs.next()) {
                    if (taken == limit) {
                        return Optional.of(last);
                    }
                    OutboxRecord r = outboxRecord(rs);
                    boolean more = row.test(r);
                    last = r.id();
                    taken++;
                    if (!more) {
                        return rs.next() ? Optional.of(last) : Optional.empty();
                    }
                }
                return Optional.empty();
            }
        }
    }

    private static AlertRecord alertRecord(ResultSet rs) throws SQLException {
        long ends = rs.getLong(4);
        Instant endsAt = rs.wasNull() ? null : Instant.ofEpochMilli(ends);
        Map<String, String> labels = StoreJson.readMap(rs.getString(5));
        Alert alert = new Alert(rs.getString(1), AlertStatus.fromWire(rs.getString(2)), labels,
                StoreJson.readMap(rs.getString(6)), Instant.ofEpochMilli(rs.getLong(3)), endsAt, rs.getString(7));
        long notified = rs.getLong(12);
        Instant notifiedAt = rs.wasNull() ? null : Instant.ofEpochMilli(notified);
        return new AlertRecord(rs.getString(8), rs.getString(9), alert, rs.getInt(10) == 1,
                Instant.ofEpochMilli(rs.getLong(11)), notifiedAt);
    }

    private static OutboxRecord outboxRecord(ResultSet rs) throws SQLException {
        long finished = rs.getLong(13);
        Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
        return new OutboxRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                AlertStatus.fromWire(rs.getString(6)), StoreJson.fingerprints(rs.getString(7)),
                DeliveryState.fromWire(rs.getString(8)), rs.getInt(9), rs.getString(10),
                Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(12)), finishedAt,
                rs.getString(14));
    }
}
