package io.opsgate.alerts;

import io.opsgate.alerts.metrics.AlertMetrics;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.dispatch.DeliveryPolicy;
import io.opsgate.alerts.dispatch.Dispatcher;
import io.opsgate.alerts.notify.Channel;
import io.opsgate.alerts.routing.AlertRouter;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.alerts.store.AlertStore;
import io.opsgate.alerts.store.Destination;
import io.opsgate.alerts.store.FlushResult;
import io.opsgate.alerts.store.IncomingAlert;
import io.opsgate.alerts.store.IngestResult;
import io.opsgate.alerts.webhook.WebhookIngest;
import io.opsgate.alerts.webhook.WebhookMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's core: routes each accepted alert, commits it to the store (dedupe happens there, in the same
 * transaction), turns groups into outbox rows once their group_wait has passed, and hands those to the dispatcher.
 * Group flush times live in the store, so a restart picks up groups that were still waiting.
 */
public final class AlertGateway implements WebhookIngest {
    private static final Logger LOG = LoggerFactory.getLogger(AlertGateway.class);
    /** Even with nothing due, look at the store this often: a safety net against clock jumps. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(10);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** Delivered and failed notifications and resolved alerts are kept this long for the API. */
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Vertx vertx;
    private final Context context;
    private final AlertRouter router;
    private final Map<String, List<Destination>> destinations;
    private final AlertStore store;
    private final Dispatcher dispatcher;
    private final AlertMetrics metrics;
    private final Clock clock;
    private boolean flushing;
    private boolean flushAgain;
    private long wakeTimer = -1;
    private Instant wakeAt;
    private long idleTimer = -1;
    private long pruneTimer = -1;
    private boolean stopped;

    /** @param receivers the channels of each receiver name the routes may name */
    public AlertGateway(Vertx vertx, AlertRouter router, Map<String, List<Channel>> receivers, AlertStore store,
                        DeliveryPolicy policy, AlertMetrics metrics, Clock clock, RandomGenerator random) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.router = router;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        Map<String, List<Destination>> byReceiver = new LinkedHashMap<>();
        List<Channel> all = new ArrayList<>();
        receivers.forEach((name, channels) -> {
            byReceiver.put(name, channels.stream().map(c -> new Destination(c.id(), c.type(), c.sendResolved())).toList());
            all.addAll(channels);
        });
        this.destinations = Map.copyOf(byReceiver);
        this.dispatcher = new Dispatcher(vertx, store, all, policy, metrics, clock, random);
    }

    /** Delivers what a previous run left pending and flushes groups that came due while it was down. */
    public Future<Void> start() {
        return dispatcher.start().onSuccess(v -> context.runOnContext(x -> {
            idleTimer = vertx.setPeriodic(IDLE_CHECK.toMillis(), id -> flushNow());
            pruneTimer = vertx.setPeriodic(PRUNE_EVERY.toMillis(), id -> prune());
            flushNow();
        }));
    }

    /**
     * Routes and commits the alerts of one webhook. Succeeds only once they are durable; fails with
     * {@link io.opsgate.alerts.store.StoreUnavailableException} when the store cannot take them.
     */
    @Override
    public Future<IngestResult> accept(WebhookMessage message) {
        Instant now = clock.instant();
        List<IncomingAlert> incoming = new ArrayList<>();
        for (Alert alert : message.alerts()) {
            for (RouteMatch route : router.route(alert.labels())) {
                Map<String, String> groupLabels = groupLabels(route.groupBy(), alert.labels());
                incoming.add(new IncomingAlert(route.routeId(), route.receivers(), groupId(route.routeId(), groupLabels),
                        groupLabels, route.groupWait(), route.repeatInterval(), route.groupInterval(), message.groupKey(),
                        message.externalUrl(), alert, message.notificationReason()));
            }
        }
        if (incoming.isEmpty()) {
            return Future.succeededFuture(new IngestResult(0, 0, java.util.Optional.empty()));
        }
        return store.ingest(incoming, now).onSuccess(result -> {
            metrics.accepted(incoming.size(), result.deduplicated());
            result.earliestFlush().ifPresent(at -> context.runOnContext(v -> wake(at)));
        });
    }

    /** The labels named by group_by, {@code ...} meaning all of them; absent labels are left out. */
    static Map<String, String> groupLabels(List<String> groupBy, Map<String, String> labels) {
        if (groupBy.contains("...")) {
            return new TreeMap<>(labels);
        }
        Map<String, String> result = new TreeMap<>();
        for (String name : groupBy) {
            String value = labels.get(name);
            if (value != null) {
                result.put(name, value);
            }
        }
        return result;
    }

    static String groupId(String routeId, Map<String, String> groupLabels) {
        StringBuilder id = new StringBuilder(routeId).append(':').append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
            if (!first) {
                id.append(',');
            }
            first = false;
            id.append(e.getKey()).append('=').append(quote(e.getValue()));
        }
        return id.append('}').toString();
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private void wake(Instant at) {
        if (stopped) {
            return;
        }
        Instant now = clock.instant();
        if (!at.isAfter(now)) {
            flushNow();
            return;
        }
        if (wakeTimer >= 0 && !wakeAt.isAfter(at)) {
            return;
        }
        if (wakeTimer >= 0) {
            vertx.cancelTimer(wakeTimer);
        }
        wakeAt = at;
        wakeTimer = vertx.setTimer(Math.max(1, Duration.between(now, at).toMillis()), id -> {
            wakeTimer = -1;
            flushNow();
        });
    }

    /** One flush at a time; requests meanwhile coalesce into one more. */
    private void flushNow() {
        if (stopped) {
            return;
        }
        if (flushing) {
            flushAgain = true;
            return;
        }
        flushing = true;
        store.flushDue(clock.instant(), destinations).onComplete(ar -> {
            flushing = false;
            if (ar.succeeded()) {
                FlushResult result = ar.result();
                dispatcher.enqueue(result.created(), result.superseded());
                result.nextDue().ifPresent(this::wake);
            } else {
                LOG.warn("could not turn due alert groups into notifications: {}; retrying", ar.cause().getMessage());
                vertx.setTimer(1000, id -> flushNow());
            }
            if (flushAgain) {
                flushAgain = false;
                flushNow();
            }
        });
    }

    private void prune() {
        store.prune(clock.instant().minus(RETENTION))
                .onSuccess(n -> LOG.debug("pruned {} old alert and outbox rows", n))
                .onFailure(e -> LOG.warn("pruning the alert store failed: {}", e.getMessage()));
    }

    /** Stops flushing groups and delivering; completes once deliveries under way are recorded. */
    public Future<Void> stop() {
        context.runOnContext(v -> {
            stopped = true;
            for (long id : new long[] {wakeTimer, idleTimer, pruneTimer}) {
                if (id >= 0) {
                    vertx.cancelTimer(id);
                }
            }
        });
        return dispatcher.stop(STOP_GRACE);
    }
}
