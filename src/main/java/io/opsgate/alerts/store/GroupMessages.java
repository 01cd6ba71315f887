package io.opsgate.alerts.store;

import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.GroupMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code group_message} rows: per lane (destination, group), the message the destination keeps for the group
 * (Slack bot mode). Portable SQL; each method runs inside the writer's transaction. Rows go with their group when
 * {@code prune} deletes it.
 */
final class GroupMessages {
    private GroupMessages() {
    }

    static Optional<GroupMessage> find(Sql c, String destination, String groupId) throws SQLException {
        try (PreparedStatement s = c.prepare("SELECT channel, ts, shown, post_id, posted_at, alerts FROM group_message "
                + "WHERE destination = ? AND group_id = ?")) {
            s.setString(1, destination);
            s.setString(2, groupId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new GroupMessage(rs.getString(1), rs.getString(2),
                        AlertStatus.fromWire(rs.getString(3)), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)),
                        StoreJson.readPayload(rs.getString(6)).alerts()));
            }
        }
    }

    static void save(Sql c, String destination, String groupId, GroupMessage m, Instant now) throws SQLException {
        try (PreparedStatement u = c.prepare("""
                INSERT INTO group_message (destination, group_id, channel, ts, shown, post_id, posted_at, alerts,
                  updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (destination, group_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts,
                  shown = excluded.shown, post_id = excluded.post_id, posted_at = excluded.posted_at,
                  alerts = excluded.alerts, updated_at = excluded.updated_at""")) {
            u.setString(1, destination);
            u.setString(2, groupId);
            u.setString(3, m.channel());
            u.setString(4, m.ts());
            u.setString(5, m.shown().wire());
            u.setString(6, m.postId());
            u.setLong(7, m.postedAt().toEpochMilli());
            u.setString(8, StoreJson.payload(m.alerts().stream().map(a -> new StoreJson.RawAlert(a,
                    StoreJson.map(a.labels()), StoreJson.map(a.annotations()))).toList(), Map.of(), Map.of(), Map.of()));
            u.setLong(9, now.toEpochMilli());
            u.executeUpdate();
        }
    }

    /** Deletes the rows of groups that no longer exist; returns how many. */
    static int prune(Sql c) throws SQLException {
        try (PreparedStatement d = c.prepare("DELETE FROM group_message WHERE NOT EXISTS "
                + "(SELECT 1 FROM alert_group g WHERE g.group_id = group_message.group_id)")) {
            return d.executeUpdate();
        }
    }
}
