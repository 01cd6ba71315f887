package io.opsgate.replica;

import io.opsgate.collect.CollectionLoop;
import io.opsgate.collect.CollectionMetrics;
import io.opsgate.collect.CollectorKey;
import io.opsgate.collect.CycleResult;
import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.Snapshot;
import io.opsgate.collect.SnapshotStore;
import io.opsgate.collect.TargetAssignment;
import io.opsgate.collect.TargetKey;
import io.opsgate.config.CollectorName;
import io.opsgate.config.DiscoveryKind;
import io.opsgate.discovery.Discovered;
import io.opsgate.discovery.DiscoveryMetrics;
import io.opsgate.discovery.Inventory;
import io.opsgate.discovery.InventoryStore;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several OpsGate replicas on one PostgreSQL share the AWS collection: each (account, region) target is collected by
 * one replica at a time, the holder of its lease ({@link LeaseTable}), and every replica serves every target's
 * families and discovery lists, which the holder publishes as a row per target after each cycle.
 * <p>
 * <b>Leases.</b> Every {@code lease / 4} a replica writes its heartbeat, renews its leases (each to
 * {@code now() + 3/4 lease}, by the database's clock) and takes free ones up to its quota ({@link FairShare}: the live
 * replicas' quotas are ⌈targets / live⌉ or ⌊targets / live⌋ and add up to the targets). Its first round only writes
 * the heartbeat, so that replicas starting together see each other before any takes a target. A replica above its
 * quota (another one joined) hands the surplus back once its current cycle has ended and its result is published,
 * never during a cycle, so the target is not collected twice. A replica that dies stops renewing: its leases expire
 * within 3/4 of a lease, and another replica takes them on its next round, within one lease in all. A replica that
 * takes a target over keeps its cadence: it collects it an interval after its newest published result (at once when
 * that is older than the interval, or there is none).
 * <p>
 * <b>Readiness.</b> A replica is ready once every target was attempted, here or on its holder: a published result
 * counts, and so does a failed cycle, which the holder records in {@code opsgate_collection.attempts}.
 * <p>
 * <b>Results.</b> The holder publishes each cycle's result with the lease's generation (and again when a collector
 * running beside the cycle, route53 or elbv2_targets, delivers its own result later); the database stores it only
 * while that generation is current and live, so a replica that lost its lease (paused, partitioned) cannot overwrite
 * what the new holder published. Each publication {@code NOTIFY}s; every replica {@code LISTEN}s on a connection of
 * its own, and also compares revisions every round, so a missed notification or a dropped connection costs at most
 * one round. Applying a row replaces the target's part of the snapshot and inventory, so all replicas serve the same
 * bytes for the AWS families and {@code /sd/*}.
 * <p>
 * <b>PostgreSQL unreachable.</b> A replica keeps collecting the targets it held at its last successful round and
 * serves them (publishing nothing); the others' targets keep their last data, their
 * {@code opsgate_collection_last_success_timestamp_seconds} no longer advancing. When the database answers again the
 * leases sort themselves out in one round.
 * <p>
 * All JDBC runs on this class's own threads ({@code opsgate-replica-*}), never on an event loop.
 */
public final class CollectorReplicas implements TargetAssignment {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorReplicas.class);

    private final Vertx vertx;
    private final String holder;
    private final DataSource pool;
    private final DataSource listenSource;
    private final String where;
    private final LeaseTable table;
    private final Duration lease;
    private final Duration interval;
    private final SnapshotStore snapshots;
    private final Consumer<Snapshot> onSnapshot;
    private final InventoryStore inventory;
    private final DiscoveryMetrics discoveryMetrics;
    private final Runnable onInventory;
    private final CollectionMetrics collectionMetrics;
    private final ScheduledExecutorService leaseThread;
    private final ExecutorService resultsThread;
    private final Thread listenThread;
    private final CountDownLatch closing = new CountDownLatch(1);

    /** Targets this replica holds, with the lease generation. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    /** Held targets whose cycle runs now (claimed by the loop and not finished). */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Held targets whose result or failed attempt waits to be written to the database. */
    private final Set<String> publishing = ConcurrentHashMap.newKeySet();
    /** Surplus targets being handed back: no cycle of them starts meanwhile. */
    private final Set<String> releasing = ConcurrentHashMap.newKeySet();
    /** Makes "not running, so hand it back" and "not being handed back, so run it" exclusive. */
    private final Object claims = new Object();
    /** Held targets collected here since they were granted: their own snapshot is newer than any older row. */
    private final Set<String> collectedSinceGrant = ConcurrentHashMap.newKeySet();
    /** The revision of each target's result this replica has (applied, or published itself). */
    private final Map<String, Long> revisions = new ConcurrentHashMap<>();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    /** Per target: each collector's up state and last success, carried on in what this replica publishes. */
    private final Map<String, Map<CollectorName, Boolean>> up = new ConcurrentHashMap<>();
    private final Map<String, Map<CollectorName, Double>> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Map<CollectorName, Double>> took = new ConcurrentHashMap<>();
    private final Set<String> fetchPending = ConcurrentHashMap.newKeySet();
    private final Counter published;
    private final Counter applied;
    private volatile CollectionLoop loop;
    private volatile List<String> targets = List.of();
    private volatile boolean migrated;
    /** Set after the first round, which only announces this replica. */
    private volatile boolean announced;
    private volatile boolean databaseDown;
    private volatile boolean stopped;

    /**
     * @param pool         pooled connections for rounds and results (Hikari; not auto-commit)
     * @param listenSource unpooled connections: one is held open for {@code LISTEN}
     * @param lease        {@code alerts.store.lease}: a dead replica's targets move within it
     * @param interval     {@code collection.interval}
     */
    public CollectorReplicas(Vertx vertx, String holder, DataSource pool, DataSource listenSource, String where,
                             Duration lease, Duration interval, SnapshotStore snapshots, Consumer<Snapshot> onSnapshot,
                             InventoryStore inventory, DiscoveryMetrics discoveryMetrics, Runnable onInventory,
                             CollectionMetrics collectionMetrics, PrometheusRegistry registry) {
        this.vertx = vertx;
        this.holder = holder;
        this.pool = pool;
        this.listenSource = listenSource;
        this.where = where;
        this.table = new LeaseTable(pool);
        this.lease = lease;
        this.interval = interval;
        this.snapshots = snapshots;
        this.onSnapshot = onSnapshot;
        this.inventory = inventory;
        this.discoveryMetrics = discoveryMetrics;
        this.onInventory = onInventory;
        this.collectionMetrics = collectionMetrics;
        this.leaseThread = Executors.newSingleThreadScheduledExecutor(daemon("opsgate-replica-lease"));
        this.resultsThread = Executors.newSingleThreadExecutor(daemon("opsgate-replica-results"));
        this.listenThread = daemon("opsgate-replica-listen").newThread(this::listen);
        GaugeWithCallback.builder().name("opsgate_collection_leases_held")
                .help("Collection targets (account, region) whose lease this replica holds, so that it collects them.")
                .callback(cb -> cb.call(held.size())).register(registry);
        published = Counter.builder().name("opsgate_collection_results_published_total")
                .help("Target results this replica published for the other replicas: accepted, fenced (its lease had"
                        + " passed to another replica) or failed (database unreachable).")
                .labelNames("outcome").register(registry);
        applied = Counter.builder().name("opsgate_collection_results_applied_total")
                .help("Target results collected by another replica and applied to this one's snapshot.")
                .register(registry);
    }

    /** This replica's name in the lease table. */
    public String holder() {
        return holder;
    }

    /** Starts the rounds and the listener; the loop's targets are those leased. */
    public void start(CollectionLoop loop) {
        this.loop = loop;
        this.targets = List.copyOf(loop.targetIds());
        long every = Math.max(100, lease.toMillis() / 4);
        leaseThread.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.MILLISECONDS);
        listenThread.start();
        LOG.info("replica {}: collection shared through {} ({} target(s), lease {}s)", holder, where,
                targets.size(), lease.toSeconds());
    }

    /** Gives this replica's leases up (the others take its targets on their next round) and stops. */
    public Future<Void> stop() {
        if (stopped) {
            return Future.succeededFuture();
        }
        stopped = true;
        closing.countDown();
        CompletableFuture<Void> done = new CompletableFuture<>();
        leaseThread.execute(() -> {
            try {
                if (migrated) {
                    table.release(holder, List.copyOf(held.keySet()), true);
                }
            } catch (SQLException e) {
                LOG.warn("replica {}: could not give up its leases ({}); they expire within {}s", holder,
                        e.getMessage(), lease.toSeconds());
            } finally {
                held.clear();
                done.complete(null);
            }
        });
        return Future.fromCompletionStage(done).eventually(() -> {
            leaseThread.shutdownNow();
            resultsThread.shutdownNow();
            listenThread.interrupt();
            return Future.succeededFuture();
        });
    }

    /**
     * Stops every thread of this replica's share without giving its leases up or touching the database again, as a
     * process killed mid-work leaves them: the leases expire on the database's clock. For tests of takeover.
     */
    void abandon() {
        stopped = true;
        closing.countDown();
        leaseThread.shutdownNow();
        resultsThread.shutdownNow();
        listenThread.interrupt();
    }

    /** Targets whose lease this replica holds now. */
    Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    @Override
    public boolean collects(String targetId) {
        return held.containsKey(targetId) && !releasing.contains(targetId);
    }

    @Override
    public boolean claim(String targetId) {
        synchronized (claims) {
            if (!collects(targetId)) {
                return false;
            }
            running.add(targetId);
            return true;
        }
    }

    @Override
    public void finished(String targetId) {
        running.remove(targetId);
    }

    @Override
    public boolean attemptedElsewhere(String targetId) {
        return received.contains(targetId);
    }

    @Override
    public void failed(String targetId) {
        Long generation = held.get(targetId);
        if (generation == null || stopped) {
            return;
        }
        publishing.add(targetId);
        onResultsThread(targetId, () -> {
            try {
                table.attemptFailed(holder, targetId, generation);
            } catch (SQLException | RuntimeException e) {
                databaseTrouble("recording the failed cycle of " + targetId, e);
            }
        });
    }

    /** Runs a write for a held target on the results thread; the target counts as publishing until it is done. */
    private void onResultsThread(String targetId, Runnable write) {
        try {
            resultsThread.execute(() -> {
                try {
                    write.run();
                } finally {
                    publishing.remove(targetId);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            publishing.remove(targetId);
        }
    }

    @Override
    public void recorded(String targetId, CycleResult result, Snapshot snapshot, Instant finishedAt) {
        Long generation = held.get(targetId);
        if (generation == null || stopped) {
            return; // the lease went while the cycle ran: the new holder publishes
        }
        collectedSinceGrant.add(targetId);
        Map<CollectorName, Boolean> targetUp = up.computeIfAbsent(targetId, k -> new ConcurrentHashMap<>());
        Map<CollectorName, Double> targetSuccess = lastSuccess.computeIfAbsent(targetId, k -> new ConcurrentHashMap<>());
        Map<CollectorName, Double> targetTook = took.computeIfAbsent(targetId, k -> new ConcurrentHashMap<>());
        double at = finishedAt.toEpochMilli() / 1000.0;
        result.succeeded().keySet().forEach(c -> {
            targetUp.put(c, true);
            targetSuccess.put(c, at);
            targetTook.put(c, CollectionMetrics.seconds(result.took(c)));
        });
        result.failed().keySet().forEach(c -> targetUp.put(c, false));
        Map<CollectorName, List<MetricFamily>> families = new EnumMap<>(CollectorName.class);
        snapshot.families().forEach((key, list) -> {
            if (key.target().equals(result.target())) {
                families.put(key.collector(), list);
            }
        });
        Map<DiscoveryKind, List<Discovered>> lists = inventory.current().part(result.target());
        TargetResult published = new TargetResult(result.target(), families, lists, targetUp, targetSuccess,
                targetTook);
        publishing.add(targetId);
        onResultsThread(targetId, () -> publish(targetId, generation, published));
    }

    private void publish(String targetId, long generation, TargetResult result) {
        try {
            OptionalLong revision = table.publish(holder, targetId, generation, ResultCodec.encode(result));
            if (revision.isPresent()) {
                revisions.merge(targetId, revision.getAsLong(), Math::max);
                published.labelValues("accepted").inc();
            } else {
                published.labelValues("fenced").inc();
                LOG.info("replica {}: result of {} refused, its lease (generation {}) has passed to another replica",
                        holder, targetId, generation);
            }
        } catch (SQLException | RuntimeException e) {
            published.labelValues("failed").inc();
            databaseTrouble("publishing " + targetId, e);
        }
    }

    /** One lease round, then a comparison of revisions (the fallback for missed notifications). */
    private void round() {
        if (stopped) {
            return;
        }
        try {
            if (!migrated) {
                CollectorSchema.migrate(listenSource, where);
                migrated = true;
            }
            LeaseTable.Round round = table.round(holder, targets, lease.multipliedBy(3).dividedBy(4), announced,
                    interval.plus(lease));
            announced = true;
            Set<String> before = Set.copyOf(held.keySet());
            held.keySet().retainAll(round.held().keySet());
            held.putAll(round.held());
            collectedSinceGrant.retainAll(round.held().keySet());
            before.stream().filter(t -> !round.held().containsKey(t))
                    .forEach(t -> LOG.warn("replica {}: lost the lease of {} (it expired and another replica took it)",
                            holder, t));
            round.failedAttempts().stream().filter(targets::contains).forEach(received::add);
            round.acquired().forEach((target, age) -> {
                LOG.info("replica {}: collects {} (generation {}){}", holder, target, round.held().get(target),
                        age == null ? "" : String.format(java.util.Locale.ROOT, ", last published %.0fs ago", age));
                // Keep the previous holder's cadence: next cycle an interval after its newest result.
                long delay = age == null ? 0 : Math.max(0, interval.toMillis() - Math.round(age * 1000));
                CollectionLoop l = loop;
                vertx.runOnContext(v -> l.collectIn(target, delay));
            });
            handBack(round);
            if (databaseDown) {
                databaseDown = false;
                LOG.info("replica {}: database {} reachable again", holder, where);
            }
            Map<String, Long> current = table.revisions();
            current.forEach((target, revision) -> {
                // Only this replica's own targets: a row left by a target since removed from the config is not served.
                if (targets.contains(target) && revision > revisions.getOrDefault(target, 0L)) {
                    scheduleFetch(target);
                }
            });
        } catch (SQLException | RuntimeException e) {
            databaseTrouble("renewing leases", e);
        }
    }

    /**
     * Hands back the leases above this replica's quota whose cycles are not running and whose results are published;
     * the busy ones go at a later round, once their cycle has ended (a round comes every quarter lease).
     */
    private void handBack(LeaseTable.Round round) throws SQLException {
        List<String> surplus;
        synchronized (claims) {
            surplus = FairShare.surplus(List.copyOf(round.held().keySet()), round.quota(),
                    union(running, publishing));
            releasing.addAll(surplus);
        }
        if (surplus.isEmpty()) {
            return;
        }
        try {
            table.release(holder, surplus, false);
            surplus.forEach(held::remove);
            collectedSinceGrant.removeAll(surplus);
            surplus.forEach(t -> LOG.info("replica {}: gave {} up to make room for another replica ({} live, quota {})",
                    holder, t, round.liveReplicas().size(), round.quota()));
        } finally {
            releasing.removeAll(surplus);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new java.util.HashSet<>(a);
        out.addAll(b);
        return out;
    }

    private void scheduleFetch(String target) {
        if (targets.contains(target) && fetchPending.add(target)) {
            resultsThread.execute(() -> {
                fetchPending.remove(target);
                fetch(target);
            });
        }
    }

    private void fetch(String target) {
        if (stopped) {
            return;
        }
        try {
            LeaseTable.Row row = table.fetch(target);
            if (row == null || row.revision() <= revisions.getOrDefault(target, 0L)) {
                return;
            }
            Long mine = held.get(target);
            if (row.holder().equals(holder)
                    || (mine != null && row.generation() < mine && collectedSinceGrant.contains(target))) {
                revisions.merge(target, row.revision(), Math::max); // ours, or older than what we collected since
                return;
            }
            apply(target, ResultCodec.decode(row.body()));
            revisions.merge(target, row.revision(), Math::max);
            received.add(target);
            applied.inc();
        } catch (SQLException e) {
            databaseTrouble("reading the result of " + target, e);
        } catch (RuntimeException e) {
            LOG.error("replica {}: cannot apply the result of {}: {}", holder, target, e.getMessage(), e);
        }
    }

    private void apply(String targetId, TargetResult result) {
        TargetKey key = result.target();
        Map<CollectorKey, List<MetricFamily>> families = new HashMap<>();
        result.families().forEach((collector, list) -> families.put(new CollectorKey(collector, key), list));
        onSnapshot.accept(snapshots.record(key, families));
        if (!result.inventory().isEmpty()) {
            Inventory now = inventory.record(key, result.inventory());
            discoveryMetrics.served(now);
            onInventory.run();
        }
        collectionMetrics.replicated(key, result.up(), result.lastSuccess(), result.took());
        up.computeIfAbsent(targetId, k -> new ConcurrentHashMap<>()).putAll(result.up());
        lastSuccess.computeIfAbsent(targetId, k -> new ConcurrentHashMap<>()).putAll(result.lastSuccess());
        took.computeIfAbsent(targetId, k -> new ConcurrentHashMap<>()).putAll(result.took());
    }

    /** Holds a connection open with {@code LISTEN}, fetching each notified target; reconnects after failures. */
    private void listen() {
        long backoff = 500;
        while (!stopped) {
            try (Connection c = listenSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + LeaseTable.CHANNEL);
                }
                backoff = 500;
                // Anything published while this connection was not listening is found by the next round's comparison.
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            scheduleFetch(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                databaseTrouble("listening for results", e);
                try {
                    if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, Math.max(1000, lease.toMillis() / 4));
            }
        }
    }

    private void databaseTrouble(String doing, Exception e) {
        if (!databaseDown) {
            databaseDown = true;
            LOG.warn("replica {}: database {} unreachable while {} ({}); collecting the {} target(s) it holds,"
                    + " serving the others' last results", holder, where, doing,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""), held.size());
        } else {
            LOG.debug("replica {}: {} failed: {}", holder, doing, e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
