package io.opsgate.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.OpsGateConfig;
import io.opsgate.database.Databases;
import io.opsgate.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The fair share on the real PostgreSQL: replicas that join, leave cleanly, die without a word and run cycles, each
 * doing what {@link CollectorReplicas} does every quarter lease (a {@link LeaseTable#round}, its first one only
 * announcing the replica, then the surplus above its {@link FairShare#quota} that is not busy handed back with
 * {@link LeaseTable#release}). Time moves a quarter lease at a time on the database's clock, and every live replica
 * runs its round in each quarter, in an order drawn at random. At every moment: no target is held by two replicas
 * that are running (their views of what they hold are disjoint and agree with the database), a target whose cycle runs
 * stays with its replica (no second collection), and no target stays without a live lease for more than one lease
 * while some replica is up. Once nothing happens any more, within two leases: every target is held by a live replica
 * and each holds its quota, ⌈targets / live⌉ or ⌊targets / live⌋.
 */
class ShareProperties {
    /** Seven targets: with 2, 3 or 4 replicas the quotas differ by one (ceil and floor). */
    private static final List<String> TARGETS = IntStream.range(0, 7).mapToObj(i -> "acct" + i + "/eu-west-1").toList();
    private static final int SLOTS = 4;
    private static final long LEASE = 60;
    /** A round every quarter lease, as CollectorReplicas does; leases and heartbeats last three quarters. */
    private static final long QUARTER = LEASE / 4;

    private static OpsGateConfig.Database database;
    private static com.zaxxer.hikari.HikariDataSource dataSource;

    @BeforeContainer
    static void createDatabase() throws Exception {
        database = TestPostgres.createDatabase("share");
        CollectorSchema.migrate(Databases.unpooled(database), "test");
        dataSource = Databases.pool(database, "share-properties");
    }

    @AfterContainer
    static void dropDatabase() {
        if (dataSource != null) {
            dataSource.close();
        }
        TestPostgres.dropDatabase(database);
    }

    sealed interface Step permits Join, Leave, Die, Busy, Idle, Quarter {
    }

    /** A replica starts in the slot (a new process, a new name), unless one runs there. */
    record Join(int slot) implements Step {
    }

    /** The slot's replica stops cleanly: its leases and heartbeat go at once. */
    record Leave(int slot) implements Step {
    }

    /** The slot's replica is killed: it does nothing more, its leases and heartbeat expire on their own. */
    record Die(int slot) implements Step {
    }

    /** A cycle of the slot's replica starts on one of the targets it holds (picked by index). */
    record Busy(int slot, int pick) implements Step {
    }

    /** The slot's replica's cycles end and their results are published. */
    record Idle(int slot) implements Step {
    }

    /** A quarter lease passes; every running replica runs one round, in the order given by the seed. */
    record Quarter(long seed) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, SLOTS - 1);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(3, slot.map(Join::new)),
                Tuple.of(1, slot.map(Leave::new)),
                Tuple.of(1, slot.map(Die::new)),
                Tuple.of(3, Combinators.combine(slot, Arbitraries.integers().between(0, TARGETS.size() - 1))
                        .as(Busy::new)),
                Tuple.of(2, slot.map(Idle::new)),
                Tuple.of(6, Arbitraries.longs().map(Quarter::new)));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    /** One replica process, as CollectorReplicas behaves in its rounds. */
    private static final class Replica {
        final String name;
        boolean announced;
        Map<String, Long> held = new LinkedHashMap<>();
        final Set<String> busy = new HashSet<>();

        Replica(String name) {
            this.name = name;
        }

        void round(LeaseTable table) throws Exception {
            LeaseTable.Round round = table.round(name, TARGETS, Duration.ofSeconds(LEASE * 3 / 4), announced,
                    Duration.ofSeconds(LEASE));
            announced = true;
            assertThat(round.held().keySet()).as("%s keeps the targets whose cycle runs", name).containsAll(busy);
            held = new LinkedHashMap<>(round.held());
            List<String> surplus = FairShare.surplus(List.copyOf(held.keySet()), round.quota(), busy);
            assertThat(surplus).as("handed back").noneMatch(busy::contains);
            if (!surplus.isEmpty()) {
                table.release(name, surplus, false);
                surplus.forEach(held::remove);
            }
        }
    }

    @Property(tries = 60)
    void replicasJoiningAndLeavingShareTheTargetsFairly(@ForAll("histories") List<Step> history) throws Exception {
        try (Connection c = autoCommit(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE opsgate_collection.leases, opsgate_collection.replicas, opsgate_collection.results,"
                    + " opsgate_collection.attempts");
        }
        LeaseTable table = new LeaseTable(dataSource);
        Replica[] slots = new Replica[SLOTS];
        int[] incarnation = new int[SLOTS];
        Map<String, Integer> unheldQuarters = new HashMap<>();
        for (Step step : history) {
            if (step instanceof Join j && slots[j.slot()] == null) {
                slots[j.slot()] = new Replica("r" + j.slot() + "-" + incarnation[j.slot()]++);
            } else if (step instanceof Leave l && slots[l.slot()] != null) {
                table.release(slots[l.slot()].name, TARGETS, true);
                slots[l.slot()] = null;
            } else if (step instanceof Die d) {
                slots[d.slot()] = null;
            } else if (step instanceof Busy b && slots[b.slot()] != null) {
                List<String> mine = List.copyOf(slots[b.slot()].held.keySet());
                if (!mine.isEmpty()) {
                    slots[b.slot()].busy.add(mine.get(b.pick() % mine.size()));
                }
            } else if (step instanceof Idle i && slots[i.slot()] != null) {
                slots[i.slot()].busy.clear();
            } else if (step instanceof Quarter q) {
                quarter(table, slots, q.seed(), unheldQuarters);
            }
            checkDisjoint(table, slots);
        }
        // Nothing happens any more: cycles end, rounds go on.
        for (Replica r : slots) {
            if (r != null) {
                r.busy.clear();
            }
        }
        if (java.util.Arrays.stream(slots).allMatch(java.util.Objects::isNull)) {
            return;
        }
        int settledAfter = -1;
        for (int n = 1; n <= 8 && settledAfter < 0; n++) {
            quarter(table, slots, n, unheldQuarters);
            checkDisjoint(table, slots);
            if (settled(slots)) {
                settledAfter = n;
            }
        }
        assertThat(settledAfter).as("settled within two leases (8 rounds); holdings %s", holdings(slots))
                .isBetween(1, 8);
        List<String> live = liveNames(slots);
        int ceil = (TARGETS.size() + live.size() - 1) / live.size();
        for (Replica r : slots) {
            if (r != null) {
                assertThat(r.held.size()).as("%s within ceil/floor", r.name)
                        .isBetween(TARGETS.size() / live.size(), ceil);
            }
        }
    }

    private static void quarter(LeaseTable table, Replica[] slots, long seed, Map<String, Integer> unheldQuarters)
            throws Exception {
        boolean someoneUp = java.util.Arrays.stream(slots).anyMatch(r -> r != null && r.announced);
        try (Connection c = autoCommit(); Statement s = c.createStatement()) {
            s.execute("UPDATE opsgate_collection.leases SET expires_at = expires_at - interval '" + QUARTER + " seconds'");
            s.execute("UPDATE opsgate_collection.replicas SET seen_until = seen_until - interval '" + QUARTER
                    + " seconds'");
        }
        List<Replica> order = new ArrayList<>();
        for (Replica r : slots) {
            if (r != null) {
                order.add(r);
            }
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        for (Replica r : order) {
            r.round(table);
            checkDisjoint(table, slots);
        }
        Set<String> leased = table.holders().keySet();
        for (String target : TARGETS) {
            int quarters = someoneUp && !leased.contains(target) ? unheldQuarters.getOrDefault(target, 0) + 1 : 0;
            unheldQuarters.put(target, quarters);
            assertThat(quarters).as("%s without a live lease for %d quarters while replicas run", target, quarters)
                    .isLessThanOrEqualTo(4);
        }
    }

    /** The running replicas' views are disjoint, agree with the database, and keep the targets whose cycle runs. */
    private static void checkDisjoint(LeaseTable table, Replica[] slots) throws Exception {
        Map<String, String> inDatabase = table.holders();
        Map<String, String> owner = new HashMap<>();
        for (Replica r : slots) {
            if (r == null) {
                continue;
            }
            assertThat(r.held.keySet()).as("%s holds the targets whose cycle runs", r.name).containsAll(r.busy);
            for (String target : r.held.keySet()) {
                String other = owner.put(target, r.name);
                assertThat(other).as("%s held by %s and %s", target, other, r.name).isNull();
                assertThat(inDatabase.get(target)).as("the database's holder of %s", target).isEqualTo(r.name);
            }
        }
    }

    private static boolean settled(Replica[] slots) {
        List<String> live = liveNames(slots);
        int held = 0;
        for (Replica r : slots) {
            if (r != null) {
                if (r.held.size() != FairShare.quota(TARGETS.size(), live, r.name)) {
                    return false;
                }
                held += r.held.size();
            }
        }
        return held == TARGETS.size();
    }

    private static List<String> liveNames(Replica[] slots) {
        return java.util.Arrays.stream(slots).filter(java.util.Objects::nonNull).map(r -> r.name).sorted().toList();
    }

    private static Map<String, Integer> holdings(Replica[] slots) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Replica r : slots) {
            if (r != null) {
                out.put(r.name, r.held.size());
            }
        }
        return out;
    }

    private static Connection autoCommit() throws java.sql.SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        return c;
    }
}
