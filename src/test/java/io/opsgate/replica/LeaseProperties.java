package io.opsgate.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.OpsGateConfig;
import io.opsgate.database.Databases;
import io.opsgate.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The lease state machine of {@link LeaseTable} on the real PostgreSQL, against a model: random interleavings of
 * three replicas' rounds, publications (with the generation each replica last learnt, which may be stale), graceful
 * stops, and time passing. Time passes by moving every expiry back in the database ({@code expires_at - d}), which is
 * what the database's clock moving forward looks like to the statements, so expiry is tested by the database's own
 * {@code now()}. After every step: at most one live holder per target; no generation of a target ever granted to two
 * replicas; a round grants exactly the free targets the replica's quota ({@link FairShare#quota}, by rank among the
 * live heartbeats) allows and renews exactly the live holder's own, and the surplus handed back is released; a
 * publication, or the record of a failed cycle, is accepted if and only if its replica holds the target live in that
 * generation, so a stale holder's publication is refused and a stored result's generation never goes down; a round
 * reports the failed attempts younger than its window.
 */
class LeaseProperties {
    private static final List<String> TARGETS = List.of("a/us-east-1", "b/eu-west-1");
    private static final List<String> REPLICAS = List.of("r0", "r1", "r2");
    private static final long LEASE = 60;
    private static final long ATTEMPT_WINDOW = 75;

    private static OpsGateConfig.Database database;
    private static com.zaxxer.hikari.HikariDataSource dataSource;

    @BeforeContainer
    static void createDatabase() throws Exception {
        database = TestPostgres.createDatabase("leases");
        CollectorSchema.migrate(Databases.unpooled(database), "test");
        dataSource = Databases.pool(database, "lease-properties");
    }

    @AfterContainer
    static void dropDatabase() {
        if (dataSource != null) {
            dataSource.close();
        }
        TestPostgres.dropDatabase(database);
    }

    sealed interface Step permits Round, Publish, Fail, Stop, Advance {
    }

    record Round(int replica) implements Step {
    }

    record Publish(int replica, int target) implements Step {
    }

    /** The replica's cycle of the target failed: it records the attempt. */
    record Fail(int replica, int target) implements Step {
    }

    record Stop(int replica) implements Step {
    }

    /** The database's clock moves forward by this many seconds (a multiple of 5, far above the test's own run time). */
    record Advance(long seconds) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Integer> replica = Arbitraries.integers().between(0, REPLICAS.size() - 1);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, replica.map(Round::new)),
                net.jqwik.api.Tuple.of(4, net.jqwik.api.Combinators.combine(replica,
                        Arbitraries.integers().between(0, TARGETS.size() - 1)).as(Publish::new)),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(replica,
                        Arbitraries.integers().between(0, TARGETS.size() - 1)).as(Fail::new)),
                net.jqwik.api.Tuple.of(1, replica.map(Stop::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(5L, 15L, 30L, 45L, 60L, 90L).map(Advance::new)));
        return step.list().ofMinSize(1).ofMaxSize(30);
    }

    /** What the database should hold for a target. */
    private static final class Lease {
        String holder;
        long generation;
        long expiresAt;
        /** Given up by its holder: expired, and not renewed by that holder (it may take it again as a free one). */
        boolean released;
    }

    @Property(tries = 120)
    void leasesFollowTheModel(@ForAll("histories") List<Step> history) throws Exception {
        try (Connection c = autoCommit(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE opsgate_collection.leases, opsgate_collection.replicas, opsgate_collection.results,"
                    + " opsgate_collection.attempts");
        }
        LeaseTable table = new LeaseTable(dataSource);
        long now = 0;
        Map<String, Lease> leases = new HashMap<>();
        Map<String, Long> seenUntil = new HashMap<>();
        Map<String, String> grantedTo = new HashMap<>(); // "target#generation" -> replica
        Map<String, Map<String, Long>> known = new HashMap<>(); // what each replica last learnt: target -> generation
        Map<String, Long> storedGeneration = new HashMap<>();
        Map<String, Long> failedAt = new HashMap<>();
        for (Step step : history) {
            if (step instanceof Advance a) {
                    try (Connection c = autoCommit(); Statement s = c.createStatement()) {
                        s.execute("UPDATE opsgate_collection.leases SET expires_at = expires_at - interval '"
                                + a.seconds() + " seconds'");
                        s.execute("UPDATE opsgate_collection.replicas SET seen_until = seen_until - interval '"
                                + a.seconds() + " seconds'");
                        s.execute("UPDATE opsgate_collection.attempts SET attempted_at = attempted_at - interval '"
                                + a.seconds() + " seconds'");
                    }
                    now += a.seconds();
            } else if (step instanceof Round r) {
                    String me = REPLICAS.get(r.replica());
                    Set<String> releasable = Set.copyOf(known.getOrDefault(me, Map.of()).keySet());
                    LeaseTable.Round got = table.round(me, TARGETS, Duration.ofSeconds(LEASE), true,
                            Duration.ofSeconds(ATTEMPT_WINDOW));
                    seenUntil.put(me, now + LEASE);
                    long t = now;
                    List<String> live = seenUntil.entrySet().stream().filter(e -> e.getValue() > t)
                            .map(Map.Entry::getKey).sorted().toList();
                    assertThat(got.liveReplicas()).as("live replicas").isEqualTo(live);
                    int quota = FairShare.quota(TARGETS.size(), live, me);
                    assertThat(got.quota()).as("quota").isEqualTo(quota);
                    Map<String, Long> renewed = new HashMap<>();
                    List<String> free = new ArrayList<>();
                    for (String target : TARGETS) {
                        Lease l = leases.get(target);
                        if (l != null && l.holder.equals(me) && !l.released) {
                            renewed.put(target, l.expiresAt <= now ? l.generation + 1 : l.generation);
                        } else if (l == null || l.expiresAt <= now) {
                            free.add(target);
                        }
                    }
                    int expectAcquired = renewed.size() >= quota ? 0 : Math.min(quota - renewed.size(), free.size());
                    assertThat(got.acquired().keySet()).as("granted targets").hasSize(expectAcquired)
                            .isSubsetOf(free);
                    Map<String, Long> expected = new HashMap<>(renewed);
                    for (String target : got.acquired().keySet()) {
                        Lease l = leases.get(target);
                        expected.put(target, l == null ? 1 : l.generation + 1);
                    }
                    for (Map.Entry<String, Long> e : expected.entrySet()) {
                        Lease l = leases.computeIfAbsent(e.getKey(), k -> new Lease());
                        l.holder = me;
                        l.generation = e.getValue();
                        l.expiresAt = now + LEASE;
                        l.released = false;
                        String previous = grantedTo.putIfAbsent(e.getKey() + "#" + e.getValue(), me);
                        assertThat(previous).as("generation %d of %s granted to one replica", e.getValue(), e.getKey())
                                .isIn(null, me);
                    }
                    assertThat(got.held()).as("held after the round").isEqualTo(expected);
                    assertThat(got.failedAttempts()).as("failed attempts within the window")
                            .isEqualTo(failedAt.entrySet().stream().filter(e -> e.getValue() > t - ATTEMPT_WINDOW)
                                    .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet()));
                    // Hand the surplus back as CollectorReplicas does: only targets known before this round (the
                    // others stand for targets whose cycle still runs).
                    Set<String> busy = new HashSet<>(expected.keySet());
                    busy.removeAll(releasable);
                    List<String> surplus = FairShare.surplus(List.copyOf(got.held().keySet()), quota, busy);
                    assertThat(surplus).as("handed back").hasSize(Math.min(Math.max(0, expected.size() - quota),
                            expected.size() - busy.size())).noneMatch(busy::contains);
                    if (!surplus.isEmpty()) {
                        table.release(me, surplus, false);
                        surplus.forEach(target -> {
                            leases.get(target).expiresAt = t;
                            leases.get(target).released = true;
                        });
                        surplus.forEach(expected::remove);
                    }
                    known.put(me, new HashMap<>(expected));
            } else if (step instanceof Fail f) {
                    String me = REPLICAS.get(f.replica());
                    String target = TARGETS.get(f.target());
                    long generation = known.getOrDefault(me, Map.of()).getOrDefault(target, 1L);
                    Lease l = leases.get(target);
                    boolean shouldAccept = l != null && l.holder.equals(me) && l.generation == generation
                            && l.expiresAt > now;
                    assertThat(table.attemptFailed(me, target, generation))
                            .as("%s records a failed cycle of %s in generation %d", me, target, generation)
                            .isEqualTo(shouldAccept);
                    if (shouldAccept) {
                        failedAt.put(target, now);
                    }
            } else if (step instanceof Publish p) {
                    String me = REPLICAS.get(p.replica());
                    String target = TARGETS.get(p.target());
                    long generation = known.getOrDefault(me, Map.of()).getOrDefault(target, 1L);
                    OptionalLong revision = table.publish(me, target, generation, new byte[] {1});
                    Lease l = leases.get(target);
                    boolean shouldAccept = l != null && l.holder.equals(me) && l.generation == generation
                            && l.expiresAt > now;
                    assertThat(revision.isPresent()).as("%s publishes %s in generation %d", me, target, generation)
                            .isEqualTo(shouldAccept);
                    if (shouldAccept) {
                        Long before = storedGeneration.put(target, generation);
                        assertThat(before == null || before <= generation).as("stored generation never goes down").isTrue();
                    }
                    assertThat(stored(target)).isEqualTo(storedGeneration.get(target));
            } else if (step instanceof Stop s) {
                    String me = REPLICAS.get(s.replica());
                    table.release(me, TARGETS, true);
                    seenUntil.remove(me);
                    long t = now;
                    leases.values().stream().filter(l -> l.holder.equals(me) && l.expiresAt > t)
                            .forEach(l -> {
                                l.expiresAt = t;
                                l.released = true;
                            });
                    known.remove(me);
            }
            long t = now;
            Map<String, String> liveHolders = new HashMap<>();
            leases.forEach((target, l) -> {
                if (l.expiresAt > t) {
                    liveHolders.put(target, l.holder);
                }
            });
            assertThat(table.holders()).as("live holders after %s", step).isEqualTo(liveHolders);
        }
    }

    private static Connection autoCommit() throws java.sql.SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        return c;
    }

    private static Long stored(String target) throws Exception {
        try (Connection c = autoCommit();
             PreparedStatement s = c.prepareStatement("SELECT generation FROM opsgate_collection.results WHERE target = ?")) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
