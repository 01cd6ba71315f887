package io.opsgate.alerts.dispatch;

import io.opsgate.alerts.metrics.AlertMetrics;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.notify.Channel;
import io.opsgate.alerts.notify.DeliveryOutcome;
import io.opsgate.alerts.store.AlertStore;
import io.opsgate.alerts.store.PendingDelivery;
import io.opsgate.config.Durations;
import io.opsgate.logging.LogText;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox rows. Holds the pending rows in a queue ordered by due time on its own Vert.x context (all state is
 * confined to it) and keeps each destination under its rate limit. Each attempt is committed to the store
 * ({@link AlertStore#markSending}) before its request goes out, and its outcome after: a restart re-sends exactly
 * the requests that were in flight, with their idempotency key. A lane (destination, group) has at most one request
 * in flight; its next row waits for that request's answer, so a destination takes a group's states in order, and a
 * failed row that a newer one waits behind is folded into it rather than retried ({@code Outbox} in the store).
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Comparator<PendingDelivery> BY_DUE =
            Comparator.comparing(PendingDelivery::dueAt).thenComparing(p -> p.notification().id());

    private final Vertx vertx;
    private final Context context;
    private final AlertStore store;
    private final Map<String, Channel> channels;
    private final DeliveryPolicy policy;
    private final AlertMetrics metrics;
    private final Clock clock;
    private final RandomGenerator random;
    private final PriorityQueue<PendingDelivery> queue = new PriorityQueue<>(BY_DUE);
    private final Set<Long> known = new HashSet<>();
    /** Lanes with a request in flight (or its outcome being recorded). */
    private final Set<String> busyLanes = new HashSet<>();
    /**
     * New content for rows not enqueued yet: the store folded a failed row into a newer one whose flush result is
     * still on its way here (it comes through the gateway's context).
     */
    private final Map<Long, PendingDelivery> earlyReplacements = new HashMap<>();
    /** Rows due while their lane was busy, by id, released oldest first as it frees (normally at most one). */
    private final Map<String, TreeMap<Long, PendingDelivery>> parked = new HashMap<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private int inFlight;
    private long timerId = -1;
    private Instant timerAt;
    private boolean stopped;
    /** Deliveries started whose outcome is not yet committed to the store. */
    private int unsettled;
    private Promise<Void> settledWaiter;

    public Dispatcher(Vertx vertx, AlertStore store, Collection<Channel> channels, DeliveryPolicy policy,
                      AlertMetrics metrics, Clock clock, RandomGenerator random) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.store = store;
        this.channels = new HashMap<>();
        channels.forEach(c -> this.channels.put(c.id(), c));
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Loads every pending row left by a previous run and tries them right away: their stored retry times were
     * chosen by a process that is gone, and the outage behind them may well be over (rate limits still apply).
     */
    public Future<Void> start() {
        return store.recover().compose(recovery -> {
            if (!recovery.pending().isEmpty()) {
                LOG.info("delivering {} notification(s) left pending by the previous run", recovery.pending().size());
            }
            if (recovery.resent() > 0 || recovery.dropped() > 0) {
                LOG.info("{} request(s) were in flight when the previous run stopped: {} sent again with the same "
                        + "idempotency key, {} dropped for a newer state of their group", recovery.resent()
                        + recovery.dropped(), recovery.resent(), recovery.dropped());
            }
            Instant now = clock.instant();
            enqueue(recovery.pending().stream().map(r -> r.withDueAt(r.dueAt().isAfter(now) ? now : r.dueAt())).toList(),
                    List.of());
            return Future.succeededFuture();
        });
    }

    /**
     * Notifications just committed to the outbox, and the pending ones they superseded (dropped here). Safe to call
     * from any thread.
     */
    public void enqueue(Collection<PendingDelivery> deliveries, Collection<Long> superseded) {
        if (deliveries.isEmpty() && superseded.isEmpty()) {
            return;
        }
        context.runOnContext(v -> {
            for (long id : superseded) {
                drop(id);
            }
            for (PendingDelivery row : deliveries) {
                PendingDelivery early = earlyReplacements.remove(row.notification().id());
                PendingDelivery d = early == null ? row : early.withDueAt(row.dueAt());
                if (known.add(d.notification().id())) {
                    queue.add(d);
                    metrics.outboxChanged(1);
                }
            }
            pump();
        });
    }

    /**
     * Starts no more deliveries and completes once those under way are recorded in the store (or after
     * {@code grace}): a delivery that reached its destination but was not yet marked sent would be repeated after a
     * restart.
     */
    public Future<Void> stop(Duration grace) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
            settledWaiter = done;
            if (unsettled == 0) {
                done.tryComplete();
            } else {
                vertx.setTimer(grace.toMillis(), id -> {
                    if (done.tryComplete()) {
                        LOG.warn("stopping with {} delivery attempt(s) not yet recorded", unsettled);
                    }
                });
            }
        });
        return done.future();
    }

    /** Forgets a row that will never be sent (superseded); it is not in flight: the store supersedes only pending rows. */
    private void drop(long id) {
        earlyReplacements.remove(id);
        if (!known.remove(id)) {
            return;
        }
        metrics.outboxChanged(-1);
        queue.removeIf(d -> d.notification().id() == id);
        parked.values().forEach(lane -> lane.remove(id));
    }

    /** Puts {@code replacement} where the dispatcher holds its row, with its new content. */
    private void replace(PendingDelivery replacement) {
        long id = replacement.notification().id();
        if (!known.contains(id)) {
            earlyReplacements.put(id, replacement);
            return;
        }
        TreeMap<Long, PendingDelivery> lane = parked.get(replacement.lane());
        if (lane != null && lane.containsKey(id)) {
            lane.put(id, replacement.withDueAt(lane.get(id).dueAt()));
            return;
        }
        PendingDelivery queued = queue.stream().filter(d -> d.notification().id() == id).findFirst().orElse(null);
        if (queued != null) {
            queue.remove(queued);
            queue.add(replacement.withDueAt(queued.dueAt()));
        }
    }

    /** The lane's request has its outcome recorded: its next row, if one waits, may go. */
    private void release(String lane) {
        busyLanes.remove(lane);
        TreeMap<Long, PendingDelivery> waiting = parked.get(lane);
        if (waiting != null) {
            queue.add(waiting.pollFirstEntry().getValue());
            if (waiting.isEmpty()) {
                parked.remove(lane);
            }
        }
        pump();
    }

    private void settle() {
        unsettled--;
        if (unsettled == 0 && settledWaiter != null) {
            settledWaiter.tryComplete();
        }
    }

    private void pump() {
        if (stopped) {
            return;
        }
        Instant now = clock.instant();
        while (inFlight < policy.maxInFlight() && !queue.isEmpty() && !queue.peek().dueAt().isAfter(now)) {
            PendingDelivery next = queue.poll();
            Channel channel = channels.get(next.notification().destination());
            if (channel == null) {
                fail(next, "no channel " + next.notification().destination() + " in the configuration");
                continue;
            }
            if (busyLanes.contains(next.lane())) {
                parked.computeIfAbsent(next.lane(), l -> new TreeMap<>()).put(next.notification().id(), next);
                continue;
            }
            Optional<Double> rate = channel.rateLimit();
            if (rate.isPresent()) {
                long nanos = System.nanoTime();
                long wait = buckets.computeIfAbsent(channel.id(), id -> new TokenBucket(rate.get(), nanos)).take(nanos);
                if (wait > 0) {
                    queue.add(next.withDueAt(now.plusNanos(wait)));
                    continue;
                }
            }
            deliver(channel, next);
        }
        arm();
    }

    private void arm() {
        PendingDelivery head = queue.peek();
        if (head == null || inFlight >= policy.maxInFlight()) {
            return;
        }
        if (timerId >= 0 && timerAt != null && !timerAt.isAfter(head.dueAt())) {
            return;
        }
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        long delay = Math.max(1, Duration.between(clock.instant(), head.dueAt()).toMillis());
        timerAt = head.dueAt();
        timerId = vertx.setTimer(delay, id -> {
            timerId = -1;
            timerAt = null;
            pump();
        });
    }

    private void deliver(Channel channel, PendingDelivery d) {
        inFlight++;
        unsettled++;
        busyLanes.add(d.lane());
        Notification n = d.notification();
        store.markSending(n.id(), n.attempt() + 1, clock.instant()).onComplete(claim -> context.runOnContext(v -> {
            if (claim.succeeded() && claim.result()) {
                send(channel, d);
                return;
            }
            inFlight--;
            settle();
            if (claim.failed()) {
                // Not recorded, so not sent: a send now could not be told apart from a new one after a crash.
                LOG.warn("could not record the attempt of notification {} to {}: {}; retrying", n.id(),
                        n.destination(), claim.cause().getMessage());
                queue.add(d.withDueAt(clock.instant().plusSeconds(1)));
            } else if (known.remove(n.id())) {
                metrics.outboxChanged(-1); // superseded meanwhile
            }
            release(d.lane());
        }));
    }

    private void send(Channel channel, PendingDelivery d) {
        Future<DeliveryOutcome> attempt;
        try {
            attempt = channel.deliver(d.notification(), new StoredMessageMemory(store, d));
        } catch (RuntimeException e) {
            attempt = Future.failedFuture(e);
        }
        attempt.recover(e -> Future.succeededFuture(new DeliveryOutcome.RetryLater(
                        "channel error: " + e, Optional.empty())))
                .onComplete(ar -> context.runOnContext(v -> {
                    inFlight--;
                    handle(d, ar.result()).onComplete(x -> context.runOnContext(y -> {
                        settle();
                        release(d.lane());
                    }));
                }));
    }

    /** Records the outcome; completes (never fails) once it is recorded, or could not be. */
    private Future<Void> handle(PendingDelivery d, DeliveryOutcome outcome) {
        Notification n = d.notification();
        int attempts = n.attempt() + 1;
        Instant now = clock.instant();
        if (outcome instanceof DeliveryOutcome.Delivered) {
            return store.markSent(n.id(), attempts, now).transform(ar -> {
                finished(n);
                if (ar.failed()) {
                    LOG.error("notification {} was delivered to {} but could not be marked sent: {}; it may be "
                            + "delivered again after a restart", n.id(), n.destination(), ar.cause().getMessage());
                }
                metrics.delivered(d.channelType(), Duration.between(d.acceptedAt(), now));
                return Future.succeededFuture();
            });
        }
        if (outcome instanceof DeliveryOutcome.Failed failed) {
            return fail(d, failed.reason()).transform(ar -> Future.succeededFuture());
        }
        DeliveryOutcome.RetryLater retry = (DeliveryOutcome.RetryLater) outcome;
        return retry(d, retry, attempts, now).transform(ar -> Future.succeededFuture());
    }

    private Future<Void> retry(PendingDelivery d, DeliveryOutcome.RetryLater retry, int attempts, Instant now) {
        Notification n = d.notification();
        Duration age = Duration.between(n.createdAt(), now);
        if (age.compareTo(policy.maxAge()) >= 0) {
            return fail(d, "gave up after " + Durations.format(policy.maxAge()) + " and " + attempts
                    + " attempts; last: " + retry.reason());
        }
        Duration delay = retry.retryAfter().orElseGet(() -> policy.backoff().delay(n.attempt(), random));
        Instant nextAt = now.plus(delay);
        LOG.debug("notification {} to {}: {}; retrying in {} ms", n.id(), n.destination(), LogText.escape(retry.reason()),
                delay.toMillis());
        metrics.attempt(d.channelType(), "retry");
        return store.markRetry(n.id(), attempts, nextAt, retry.reason()).transform(ar -> {
            context.runOnContext(v -> {
                if (ar.succeeded() && ar.result().isPresent()) {
                    LOG.debug("notification {} to {} superseded by {}", n.id(), n.destination(),
                            ar.result().get().notification().id());
                    if (known.remove(n.id())) {
                        metrics.outboxChanged(-1);
                    }
                    replace(ar.result().get());
                } else {
                    // Scheduled even if the store could not record it: attempts are only a hint across restarts.
                    queue.add(d.withRetry(nextAt));
                }
            });
            return Future.<Void>succeededFuture();
        });
    }

    private Future<Void> fail(PendingDelivery d, String reason) {
        Notification n = d.notification();
        // The reason may quote the destination's answer, which may echo label values: escaped for the log.
        LOG.warn("notification {} to {} failed for good: {}", n.id(), n.destination(), LogText.escape(reason));
        return store.markFailed(n.id(), n.attempt() + 1, reason, clock.instant()).onComplete(ar -> {
            finished(n);
            metrics.attempt(d.channelType(), "failed");
        });
    }

    private void finished(Notification n) {
        context.runOnContext(v -> {
            if (known.remove(n.id())) {
                metrics.outboxChanged(-1);
            }
        });
    }
}
