package io.opsgate.alerts.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The incident model and the outbox together, on the real {@link JdbcAlertStore}: random interleavings of two
 * unclustered Alertmanager peers (each with its own {@code startsAt} for an incident, lagging behind the truth,
 * repeating itself), group flushes, deliveries to two destinations that answer 200, 500, 429 with Retry-After or
 * time out after taking the request, and crashes (the store closed under requests in flight and reopened). Each
 * step drives the store exactly as the dispatcher does: claim ({@code markSending}) before a request, one request
 * in flight per lane, {@code markSent}/{@code markRetry}, and {@code recover} after a crash. After the history the
 * peers catch up and deliveries drain. Checked:
 * <ul>
 * <li>P1: each destination's last word on each alert is its newest state; no FIRING of an incident after its
 *     RESOLVED;</li>
 * <li>P2: every incident the destination was told of as firing is resolved there if it resolved;</li>
 * <li>P3: per destination, alert, incident and state at most one delivered key, plus one per ambiguous outcome
 *     (a timeout or a crash with a request in flight); a key delivered twice only on a re-send ({@code attempt > 0});</li>
 * <li>P4: never more than one pending row per (destination, group).</li>
 * </ul>
 */
class OutboxProperties {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final List<String> FINGERPRINTS = List.of("a", "b");
    private static final List<String> DESTINATIONS = List.of("r/d0[0]", "r/d1[0]");
    private static final Map<String, List<Destination>> RECEIVERS = Map.of("r", List.of(
            new Destination(DESTINATIONS.get(0), "test", true), new Destination(DESTINATIONS.get(1), "test", true)));
    private static final int SKEW = 20;

    private static Vertx vertx;

    @BeforeContainer
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterContainer
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    sealed interface Step permits Toggle, Sync, Send, Flush, Start, Answer, Crash, Tick {
    }

    /** The truth changes: the alert fires (a new incident) or resolves. */
    record Toggle(int fp) implements Step {
    }

    /** A peer learns the truth of an alert. */
    record Sync(int peer, int fp) implements Step {
    }

    /** A peer sends what it knows (Alertmanager's notification, retry or group re-send). */
    record Send(int peer) implements Step {
    }

    record Flush() implements Step {
    }

    /** The dispatcher starts the next due request of a destination. */
    record Start(int dest) implements Step {
    }

    /** The request in flight to a destination is answered. */
    record Answer(int dest, Outcome outcome) implements Step {
    }

    record Crash() implements Step {
    }

    record Tick(int seconds) implements Step {
    }

    enum Outcome { OK, ERROR_500, RATE_LIMITED_429, TIMEOUT_AFTER_TAKING_IT }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, FINGERPRINTS.size() - 1).map(Toggle::new)),
                net.jqwik.api.Tuple.of(7, net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, FINGERPRINTS.size() - 1)).as(Sync::new)),
                net.jqwik.api.Tuple.of(7, Arbitraries.integers().between(0, 1).map(Send::new)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(new Flush())),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 1).map(Start::new)),
                net.jqwik.api.Tuple.of(5, net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 1),
                        Arbitraries.of(Outcome.values())).as(Answer::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Crash())),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 40).map(Tick::new)));
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    /** One alert's truth: incidents as [start, end] (end -1 while open). */
    private static final class Truth {
        final List<long[]> incidents = new ArrayList<>();

        boolean firing() {
            return !incidents.isEmpty() && incidents.get(incidents.size() - 1)[1] < 0;
        }

        int incidentOf(long startsAt) {
            for (int k = 0; k < incidents.size(); k++) {
                if (startsAt >= incidents.get(k)[0] && startsAt <= incidents.get(k)[0] + SKEW) {
                    return k;
                }
            }
            throw new AssertionError("startsAt " + startsAt + " matches no incident");
        }
    }

    /** What one peer knows of one alert: the incident index it has seen, and whether it saw it resolve. */
    private record View(int incident, boolean resolved) {
    }

    private record Received(String key, int attempt, String fp, int incident, AlertStatus status) {
    }

    /** The world of one history. */
    /** Opens the store of one history (again after a crash: the same data, the same replica). */
    @FunctionalInterface
    interface Opener {
        JdbcAlertStore open() throws Exception;
    }

    private final class World {
        final Opener opener;
        JdbcAlertStore store;
        long now = 0;
        final List<Truth> truth = new ArrayList<>();
        final View[][] views = new View[2][FINGERPRINTS.size()];
        final int[] skew = {0, 7}; // peer b's replica saw each incident later
        final Map<String, TreeMap<Long, PendingDelivery>> queued = new HashMap<>(); // by destination: not in flight
        final Map<String, PendingDelivery> inFlight = new HashMap<>();
        final Map<String, List<Received>> received = new HashMap<>();
        int ambiguous = 0;
        /** (fingerprint, incident) whose resolve some peer reported: what the gateway can know was resolved. */
        final Set<String> reportedResolved = new HashSet<>();

        World(Opener opener) throws Exception {
            this.opener = opener;
            store = opener.open();
            for (int i = 0; i < FINGERPRINTS.size(); i++) {
                truth.add(new Truth());
            }
            DESTINATIONS.forEach(d -> {
                queued.put(d, new TreeMap<>());
                received.put(d, new ArrayList<>());
            });
        }

        Instant at() {
            return T0.plusSeconds(now);
        }

        void run(Step s) throws Exception {
            if (s instanceof Toggle t) {
                Truth tr = truth.get(t.fp());
                if (tr.firing()) {
                    tr.incidents.get(tr.incidents.size() - 1)[1] = now + SKEW + 1; // ends after every peer's start
                    now += SKEW + 2;
                } else {
                    long start = now + 1;
                    if (!tr.incidents.isEmpty()) {
                        start = Math.max(start, tr.incidents.get(tr.incidents.size() - 1)[1] + SKEW + 1);
                    }
                    tr.incidents.add(new long[] {start, -1});
                    now = start + SKEW;
                }
            } else if (s instanceof Sync y) {
                Truth tr = truth.get(y.fp());
                if (!tr.incidents.isEmpty()) {
                    views[y.peer()][y.fp()] = new View(tr.incidents.size() - 1, !tr.firing());
                }
            } else if (s instanceof Send p) {
                send(p.peer());
            } else if (s instanceof Flush) {
                flush();
            } else if (s instanceof Start st) {
                start(DESTINATIONS.get(st.dest()));
            } else if (s instanceof Answer a) {
                answer(DESTINATIONS.get(a.dest()), a.outcome());
            } else if (s instanceof Crash) {
                crash();
            } else if (s instanceof Tick k) {
                now += k.seconds();
            }
            assertAtMostOnePendingPerLane();
        }

        void send(int peer) throws Exception {
            List<IncomingAlert> in = new ArrayList<>();
            for (int fp = 0; fp < FINGERPRINTS.size(); fp++) {
                View v = views[peer][fp];
                if (v == null) {
                    continue;
                }
                long[] inc = truth.get(fp).incidents.get(v.incident());
                long startsAt = inc[0] + skew[peer];
                if (v.resolved()) {
                    reportedResolved.add(fp + "/" + v.incident());
                }
                Alert a = new Alert(FINGERPRINTS.get(fp), v.resolved() ? AlertStatus.RESOLVED : AlertStatus.FIRING,
                        Map.of("alertname", "P", "fp", FINGERPRINTS.get(fp)), Map.of(), T0.plusSeconds(startsAt),
                        v.resolved() ? T0.plusSeconds(inc[1] + skew[peer]) : at().plusSeconds(240), "");
                in.add(new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO, Duration.ofHours(4),
                        Duration.ZERO, "gk", "", a));
            }
            if (!in.isEmpty()) {
                get(store.ingest(in, at()));
            }
        }

        void flush() throws Exception {
            FlushResult r = get(store.flushDue(at(), RECEIVERS));
            for (long id : r.superseded()) {
                queued.values().forEach(q -> q.remove(id));
            }
            for (PendingDelivery d : r.created()) {
                queued.get(d.notification().destination()).put(d.notification().id(), d);
            }
        }

        void start(String dest) throws Exception {
            if (inFlight.containsKey(dest)) {
                return; // one lane per destination here (one group): busy
            }
            Optional<PendingDelivery> next = queued.get(dest).values().stream()
                    .filter(d -> !d.dueAt().isAfter(at())).min(Comparator.comparing(d -> d.notification().id()));
            if (next.isEmpty()) {
                return;
            }
            PendingDelivery d = next.get();
            queued.get(dest).remove(d.notification().id());
            if (get(store.markSending(d.notification().id(), d.notification().attempt() + 1, at()))) {
                inFlight.put(dest, d);
            }
        }

        void answer(String dest, Outcome outcome) throws Exception {
            PendingDelivery d = inFlight.remove(dest);
            if (d == null) {
                return;
            }
            if (outcome == Outcome.OK || outcome == Outcome.TIMEOUT_AFTER_TAKING_IT) {
                record(dest, d);
            }
            int attempts = d.notification().attempt() + 1;
            if (outcome == Outcome.OK) {
                get(store.markSent(d.notification().id(), attempts, at()));
                return;
            }
            if (outcome == Outcome.TIMEOUT_AFTER_TAKING_IT) {
                ambiguous++;
            }
            Instant retryAt = at().plusSeconds(outcome == Outcome.RATE_LIMITED_429 ? 15 : 1);
            Optional<PendingDelivery> replacement = get(store.markRetry(d.notification().id(), attempts, retryAt,
                    outcome.name()));
            if (replacement.isPresent()) {
                PendingDelivery r = replacement.get();
                queued.get(dest).put(r.notification().id(), r);
            } else {
                queued.get(dest).put(d.notification().id(), d.withRetry(retryAt));
            }
        }

        void record(String dest, PendingDelivery d) {
            for (Alert a : d.notification().alerts()) {
                int fp = FINGERPRINTS.indexOf(a.fingerprint());
                long startsAt = a.startsAt().getEpochSecond() - T0.getEpochSecond();
                received.get(dest).add(new Received(d.notification().idempotencyKey(), d.notification().attempt(),
                        a.fingerprint(), truth.get(fp).incidentOf(startsAt), a.status()));
            }
        }

        /** SIGKILL: requests in flight may or may not have reached the destination; here they did. */
        void crash() throws Exception {
            for (Map.Entry<String, PendingDelivery> e : inFlight.entrySet()) {
                record(e.getKey(), e.getValue());
                ambiguous++;
            }
            inFlight.clear();
            store.close();
            store = opener.open();
            Recovery recovery = get(store.recover());
            queued.values().forEach(Map::clear);
            for (PendingDelivery d : recovery.pending()) {
                queued.get(d.notification().destination()).put(d.notification().id(), d.withDueAt(at()));
            }
        }

        /** The peers catch up, every request is answered 200, until nothing is left. */
        void drain() throws Exception {
            for (String dest : DESTINATIONS) {
                answer(dest, Outcome.OK);
            }
            for (int peer = 0; peer < 2; peer++) {
                for (int fp = 0; fp < FINGERPRINTS.size(); fp++) {
                    run(new Sync(peer, fp));
                }
                run(new Send(peer));
            }
            for (int round = 0; round < 200; round++) {
                now += 20;
                flush();
                boolean idle = true;
                for (String dest : DESTINATIONS) {
                    start(dest);
                    if (inFlight.containsKey(dest)) {
                        idle = false;
                        answer(dest, Outcome.OK);
                    }
                    idle &= queued.get(dest).isEmpty();
                }
                if (idle) {
                    return;
                }
            }
            throw new AssertionError("outbox did not drain");
        }

        /** P4, on the rows the store holds: at most one pending row per (destination, group). */
        void assertAtMostOnePendingPerLane() throws Exception {
            Map<String, Integer> pending = new HashMap<>();
            get(store.scanNotifications(Optional.of(DeliveryState.PENDING), Optional.empty(), 1000, r -> {
                pending.merge(r.destination(), 1, Integer::sum);
                return true;
            }));
            assertThat(pending.values()).as("pending rows per lane (P4)").allMatch(n -> n <= 1);
        }
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Path scratch() throws Exception {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "opsgate-outbox-") : Files.createTempDirectory("opsgate-outbox-");
    }

    @Property(tries = 100)
    void everyDestinationEndsOnTheNewestStateAndNeverHearsAStaleOne(@ForAll("histories") List<Step> history)
            throws Exception {
        Path dir = scratch();
        try {
            check(history, () -> JdbcAlertStore.sqlite(vertx, dir.resolve("alerts.db")));
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    private static io.opsgate.config.OpsGateConfig.Database postgres;

    /**
     * The same on PostgreSQL (fewer tries: each costs a round trip per statement). One schema, migrated by the first
     * history and emptied before every later one: a schema per history spent most of each try on migrations.
     */
    @Property(tries = 25)
    void onPostgresToo(@ForAll("histories") List<Step> history) throws Exception {
        synchronized (OutboxProperties.class) {
            if (postgres == null) {
                postgres = io.opsgate.testing.TestPostgres.inSchema(
                        io.opsgate.testing.TestPostgres.createDatabase("outbox"), "histories");
            } else {
                io.opsgate.testing.TestPostgres.emptyTables(postgres);
            }
        }
        check(history, () -> JdbcAlertStore.postgres(vertx, postgres, Duration.ofSeconds(30), "replica"));
    }

    @AfterContainer
    static void dropPostgres() {
        io.opsgate.testing.TestPostgres.dropDatabase(postgres);
    }

    private void check(List<Step> history, Opener opener) throws Exception {
        World w = new World(opener);
        try {
            for (Step s : history) {
                w.run(s);
            }
            w.drain();
            for (String dest : DESTINATIONS) {
                List<Received> got = w.received.get(dest);
                for (int fp = 0; fp < FINGERPRINTS.size(); fp++) {
                    String name = FINGERPRINTS.get(fp);
                    Truth tr = w.truth.get(fp);
                    List<Received> ofFp = got.stream().filter(r -> r.fp().equals(name)).toList();
                    if (tr.incidents.isEmpty()) {
                        assertThat(ofFp).isEmpty();
                        continue;
                    }
                    // P1: the last word is the newest state. (Not necessarily the newest incident: when no peer
                    // reported a resolve in between, a later firing is the same firing period, as in Alertmanager.)
                    Received last = ofFp.get(ofFp.size() - 1);
                    assertThat(last.status()).as("%s %s last state", dest, name)
                            .isEqualTo(tr.firing() ? AlertStatus.FIRING : AlertStatus.RESOLVED);
                    // P1: never firing after the resolve of the same (or a later) incident
                    int resolvedUpTo = -1;
                    for (Received r : ofFp) {
                        if (r.status() == AlertStatus.FIRING) {
                            assertThat(r.incident()).as("%s %s: firing of #%d after resolve of #%d", dest, name,
                                    r.incident(), resolvedUpTo).isGreaterThan(resolvedUpTo);
                        } else {
                            resolvedUpTo = Math.max(resolvedUpTo, r.incident());
                        }
                    }
                    // P2: a resolve a peer reported is never lost: after a firing of that incident the destination
                    // hears its resolve, or a newer state that superseded it before it was sent (P4)
                    for (int i = 0; i < ofFp.size(); i++) {
                        Received r = ofFp.get(i);
                        if (r.status() != AlertStatus.FIRING || !w.reportedResolved.contains(fp + "/" + r.incident())) {
                            continue;
                        }
                        boolean followed = ofFp.subList(i + 1, ofFp.size()).stream().anyMatch(x ->
                                x.incident() > r.incident() || x.status() == AlertStatus.RESOLVED);
                        assertThat(followed).as("%s %s: resolve of #%d lost", dest, name, r.incident()).isTrue();
                    }
                    // P3: one delivery per state change, but for ambiguous outcomes
                    Map<String, Set<String>> keysPerChange = new HashMap<>();
                    for (Received r : ofFp) {
                        keysPerChange.computeIfAbsent(r.incident() + "/" + r.status(), x -> new HashSet<>()).add(r.key());
                    }
                    for (Map.Entry<String, Set<String>> e : keysPerChange.entrySet()) {
                        assertThat(e.getValue().size()).as("%s %s %s: deliveries", dest, name, e.getKey())
                                .isLessThanOrEqualTo(1 + w.ambiguous);
                    }
                }
                Map<String, List<Received>> byKey = new HashMap<>();
                got.forEach(r -> byKey.computeIfAbsent(r.key() + "/" + r.fp(), x -> new ArrayList<>()).add(r));
                for (List<Received> same : byKey.values()) {
                    for (Received again : same.subList(1, same.size())) {
                        assertThat(again.attempt()).as("a key delivered again is a re-send").isPositive();
                    }
                }
            }
        } finally {
            w.store.close();
        }
    }
}
