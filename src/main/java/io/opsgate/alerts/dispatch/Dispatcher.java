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
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox rows. Holds the pending rows in a queue ordered by due time on its own Vert.x context (all state is
 * confined to it), keeps each destination under its rate limit, and records every outcome in the store before it
 * counts it: a row is marked sent before anything else learns of the delivery, so a restart redelivers only rows
 * whose delivery was not recorded.
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
        return store.pendingDeliveries().compose(rows -> {
            if (!rows.isEmpty()) {
                LOG.info("delivering {} notification(s) left pending by the previous run", rows.size());
            }
            Instant now = clock.instant();
            enqueue(rows.stream().map(r -> new PendingDelivery(r.notification(), r.channelType(), r.acceptedAt(),
                    r.dueAt().isAfter(now) ? now : r.dueAt())).toList());
            return Future.succeededFuture();
        });
    }

    /** Notifications just committed to the outbox. Safe to call from any thread. */
    public void enqueue(Collection<PendingDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        context.runOnContext(v -> {
            for (PendingDelivery d : deliveries) {
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
            Optional<Double> rate = channel.rateLimit();
            if (rate.isPresent()) {
                long nanos = System.nanoTime();
                long wait = buckets.computeIfAbsent(channel.id(), id -> new TokenBucket(rate.get(), nanos)).take(nanos);
                if (wait > 0) {
                    queue.add(new PendingDelivery(next.notification(), next.channelType(), next.acceptedAt(),
                            now.plusNanos(wait)));
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
        Future<DeliveryOutcome> attempt;
        try {
            attempt = channel.deliver(d.notification());
        } catch (RuntimeException e) {
            attempt = Future.failedFuture(e);
        }
        attempt.recover(e -> Future.succeededFuture(new DeliveryOutcome.RetryLater(
                        "channel error: " + e, Optional.empty())))
                .onComplete(ar -> context.runOnContext(v -> {
                    inFlight--;
                    handle(d, ar.result());
                    pump();
                }));
    }

    private void handle(PendingDelivery d, DeliveryOutcome outcome) {
        Notification n = d.notification();
        int attempts = n.attempt() + 1;
        Instant now = clock.instant();
        if (outcome instanceof DeliveryOutcome.Delivered) {
            store.markSent(n.id(), attempts, now).onComplete(ar -> {
                context.runOnContext(x -> settle());
                finished(n);
                if (ar.failed()) {
                    LOG.error("notification {} was delivered to {} but could not be marked sent: {}; it may be "
                            + "delivered again after a restart", n.id(), n.destination(), ar.cause().getMessage());
                }
                metrics.delivered(d.channelType(), Duration.between(d.acceptedAt(), now));
            });
        } else if (outcome instanceof DeliveryOutcome.Failed failed) {
            fail(d, failed.reason()).onComplete(ar -> context.runOnContext(x -> settle()));
        } else if (outcome instanceof DeliveryOutcome.RetryLater retry) {
            retry(d, retry, attempts, now).onComplete(ar -> context.runOnContext(x -> settle()));
        }
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
        // The retry is scheduled even if the store cannot record it: attempts are only a hint across restarts.
        queue.add(d.withRetry(nextAt));
        return store.markRetry(n.id(), attempts, nextAt, retry.reason());
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
