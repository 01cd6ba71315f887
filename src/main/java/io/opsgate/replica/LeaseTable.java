package io.opsgate.replica;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The collector leases and published results in PostgreSQL (PostgreSQL schema {@code opsgate_collection}, migrations in {@code db/collector/postgres}). Every decision
 * is one conditional statement evaluated by the database against its own clock ({@code now()}), never a replica's:
 * a lease is granted where none is live (INSERT ... ON CONFLICT DO UPDATE ... WHERE expired), renewed only by its
 * holder, and each grant to a replica that did not hold it live gets the next generation. A result is stored only for
 * the current generation's holder while its lease is live, and never over a result of a newer generation. Blocking:
 * call on worker threads only. Each method is one transaction.
 */
final class LeaseTable {
    /** The channel {@code NOTIFY} uses after each publication; its payload is the target id. */
    static final String CHANNEL = "opsgate_collection";
    /**
     * The expiry a given-up lease gets: expired for every other replica's round (which takes it), and told apart from
     * a lease that merely lapsed, which its holder may still renew.
     */
    private static final String RELEASED = "'-infinity'::timestamptz";

    private final DataSource dataSource;

    LeaseTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One round of a replica: its heartbeat, its leases renewed and, when {@code acquire}, free targets taken up to its
     * quota ({@link FairShare#quota}). Leases above the quota are not given up here: the replica hands them back with
     * {@link #release} once their cycles have ended ({@link FairShare#surplus}).
     *
     * @param leaseFor      how long a lease and the heartbeat hold unless renewed
     * @param acquire       false in a replica's first round, which only announces it: replicas that start together
     *                      then see each other before any takes a target, instead of the first taking them all
     * @param attemptWindow how old a failed attempt may be and still count as the target's latest (readiness)
     * @return the targets this replica holds after the round, with their generation
     */
    Round round(String holder, List<String> targets, Duration leaseFor, boolean acquire, Duration attemptWindow)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Round round = round(c, holder, targets, leaseFor, acquire, attemptWindow);
                c.commit();
                return round;
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        }
    }

    /**
     * @param held         the leases held after the round, by target, with their generation, in the order of the
     *                     targets
     * @param acquired     the targets granted in this round (not held live before), each with the age in seconds of its
     *                     newest published result, or null when there is none
     * @param quota        how many targets this replica may hold ({@link FairShare#quota})
     * @param liveReplicas replicas with a live heartbeat, this one included, in the order of their names
     * @param failedAttempts targets whose latest cycle (within the attempt window) failed on their holder
     */
    record Round(Map<String, Long> held, Map<String, Double> acquired, int quota, List<String> liveReplicas,
                 Set<String> failedAttempts) {
    }

    private static Round round(Connection c, String holder, List<String> targets, Duration leaseFor, boolean acquire,
                               Duration attemptWindow) throws SQLException {
        String interval = seconds(leaseFor);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO opsgate_collection.replicas (holder, seen_until)"
                + " VALUES (?, now() + ?::interval) ON CONFLICT (holder) DO UPDATE SET seen_until = EXCLUDED.seen_until")) {
            s.setString(1, holder);
            s.setString(2, interval);
            s.executeUpdate();
        }
        List<String> live = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT holder FROM opsgate_collection.replicas"
                + " WHERE seen_until > now() ORDER BY holder COLLATE \"C\"");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                live.add(rs.getString(1));
            }
        }
        Map<String, Long> renewed = new HashMap<>();
        Array all = c.createArrayOf("text", targets.toArray());
        // Renewal: only the holder, and a lease that had expired unclaimed is a new grant (next generation). A lease
        // its holder gave up (RELEASED) is not renewed: the releasing replica's next round would otherwise take back,
        // unasked, a target it handed over because it held more than its share.
        try (PreparedStatement s = c.prepareStatement("UPDATE opsgate_collection.leases SET expires_at = now() + ?::interval,"
                + " generation = CASE WHEN expires_at <= now() THEN generation + 1 ELSE generation END"
                + " WHERE holder = ? AND target = ANY (?) AND expires_at <> " + RELEASED + " RETURNING target, generation")) {
            s.setString(1, interval);
            s.setString(2, holder);
            s.setArray(3, all);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    renewed.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        int quota = FairShare.quota(targets.size(), live, holder);
        Map<String, Double> acquired = new LinkedHashMap<>();
        if (acquire && renewed.size() < quota) {
            // Free targets, each replica preferring its own order of them so that replicas starting together spread:
            // first by account (the id is "account/region"), so that a replica collects few accounts and needs few
            // STS sessions (one AssumeRole per account per replica), then by target.
            try (PreparedStatement s = c.prepareStatement("WITH free AS (SELECT t FROM unnest(?::text[]) AS t"
                    + " WHERE NOT EXISTS (SELECT 1 FROM opsgate_collection.leases l WHERE l.target = t AND l.expires_at > now())"
                    + " ORDER BY md5(regexp_replace(t, '/[^/]*$', '') || ?), md5(t || ?) LIMIT ?)"
                    + " INSERT INTO opsgate_collection.leases AS l0 (target, holder, generation, expires_at)"
                    + " SELECT t, ?, 1, now() + ?::interval FROM free"
                    + " ON CONFLICT (target) DO UPDATE SET holder = EXCLUDED.holder,"
                    + " generation = l0.generation + 1, expires_at = EXCLUDED.expires_at"
                    + " WHERE l0.expires_at <= now()"
                    + " RETURNING target, generation")) {
                s.setArray(1, all);
                s.setString(2, holder);
                s.setString(3, holder);
                s.setInt(4, quota - renewed.size());
                s.setString(5, holder);
                s.setString(6, interval);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        renewed.put(rs.getString(1), rs.getLong(2));
                        acquired.put(rs.getString(1), null);
                    }
                }
            }
            if (!acquired.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("SELECT target, extract(epoch FROM now() - published_at)"
                        + " FROM opsgate_collection.results WHERE target = ANY (?)")) {
                    s.setArray(1, c.createArrayOf("text", acquired.keySet().toArray()));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            acquired.put(rs.getString(1), rs.getDouble(2));
                        }
                    }
                }
            }
        }
        Map<String, Long> held = new LinkedHashMap<>();
        for (String target : targets) {
            if (renewed.containsKey(target)) {
                held.put(target, renewed.get(target));
            }
        }
        Set<String> failed = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT target FROM opsgate_collection.attempts"
                + " WHERE target = ANY (?) AND attempted_at > now() - ?::interval")) {
            s.setArray(1, all);
            s.setString(2, seconds(attemptWindow));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    failed.add(rs.getString(1));
                }
            }
        }
        return new Round(held, acquired, quota, List.copyOf(live), failed);
    }

    /**
     * Records that the holder's cycle of a target failed (nothing to publish), if it holds the lease live in
     * {@code generation}, so that the other replicas count the target as attempted for readiness.
     *
     * @return whether it was recorded (false when the lease is no longer this holder's in this generation)
     */
    boolean attemptFailed(String holder, String target, long generation) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO opsgate_collection.attempts"
                    + " AS a0 (target, holder, generation, attempted_at)"
                    + " SELECT l.target, l.holder, l.generation, now() FROM opsgate_collection.leases l"
                    + " WHERE l.target = ? AND l.holder = ? AND l.generation = ? AND l.expires_at > now()"
                    + " ON CONFLICT (target) DO UPDATE SET holder = EXCLUDED.holder, generation = EXCLUDED.generation,"
                    + " attempted_at = EXCLUDED.attempted_at")) {
                s.setString(1, target);
                s.setString(2, holder);
                s.setLong(3, generation);
                return s.executeUpdate() == 1;
            }
        }
    }

    /**
     * Gives leases up at once (a replica stopping, or handing back those above its quota), so another replica takes
     * them on its next round.
     */
    void release(String holder, Collection<String> targets, boolean leaving) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                release(c, holder, targets);
                if (leaving) {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM opsgate_collection.replicas WHERE holder = ?")) {
                        s.setString(1, holder);
                        s.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        }
    }

    private static void release(Connection c, String holder, Collection<String> targets) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE opsgate_collection.leases SET expires_at = " + RELEASED
                + " WHERE holder = ? AND target = ANY (?) AND expires_at > now()")) {
            s.setString(1, holder);
            s.setArray(2, c.createArrayOf("text", targets.toArray()));
            s.executeUpdate();
        }
    }

    /**
     * Stores a target's result if {@code holder} holds its lease, live, in {@code generation}, and notifies the other
     * replicas when it does.
     *
     * @return the result's revision, or empty when the lease is not (or no longer) this holder's in this generation
     */
    OptionalLong publish(String holder, String target, long generation, byte[] body) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                OptionalLong revision = OptionalLong.empty();
                try (PreparedStatement s = c.prepareStatement("INSERT INTO opsgate_collection.results"
                        + " AS r0 (target, generation, revision, holder, published_at, body)"
                        + " SELECT l.target, l.generation, nextval('opsgate_collection.result_revision'), l.holder, now(), ?"
                        + " FROM opsgate_collection.leases l WHERE l.target = ? AND l.holder = ? AND l.generation = ?"
                        + " AND l.expires_at > now()"
                        + " ON CONFLICT (target) DO UPDATE SET generation = EXCLUDED.generation,"
                        + " revision = EXCLUDED.revision, holder = EXCLUDED.holder,"
                        + " published_at = EXCLUDED.published_at, body = EXCLUDED.body"
                        + " WHERE r0.generation <= EXCLUDED.generation"
                        + " RETURNING revision")) {
                    s.setBytes(1, body);
                    s.setString(2, target);
                    s.setString(3, holder);
                    s.setLong(4, generation);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            revision = OptionalLong.of(rs.getLong(1));
                        }
                    }
                }
                if (revision.isPresent()) {
                    try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                        s.setString(1, CHANNEL);
                        s.setString(2, target);
                        s.execute();
                    }
                }
                c.commit();
                return revision;
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        }
    }

    /** The revision of every published result, by target: to find what changed without reading the bodies. */
    Map<String, Long> revisions() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("SELECT target, revision FROM opsgate_collection.results");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** One published result. */
    record Row(String target, long generation, long revision, String holder, byte[] body) {
    }

    /** @return the target's newest result, or null when none was published */
    Row fetch(String target) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("SELECT target, generation, revision, holder, body"
                    + " FROM opsgate_collection.results WHERE target = ?")) {
                s.setString(1, target);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getBytes(5)) : null;
                }
            }
        }
    }

    /** Who holds each target's lease now (live or not), for tests and diagnostics. */
    Map<String, String> holders() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("SELECT target, holder FROM opsgate_collection.leases"
                    + " WHERE expires_at > now()"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static String seconds(Duration d) {
        return (d.toMillis() / 1000.0) + " seconds";
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it
        }
    }

}
