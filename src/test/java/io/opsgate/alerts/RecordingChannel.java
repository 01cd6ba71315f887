package io.opsgate.alerts;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.notify.Channel;
import io.opsgate.alerts.notify.DeliveryOutcome;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A channel for unit tests of the core (the real channels live in the channels package and have their own tests):
 * records every attempt and answers from a script, then with the fallback.
 */
public final class RecordingChannel implements Channel {
    /** One attempt: when it started, when it was answered (later than {@code at} for a delayed answer). */
    public record Attempt(Notification notification, Instant at, DeliveryOutcome outcome, Instant answeredAt) {
    }

    private record Scripted(DeliveryOutcome outcome, Duration delay) {
    }

    private final String id;
    private final Optional<Double> rateLimit;
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private Function<Notification, DeliveryOutcome> fallback = n -> new DeliveryOutcome.Delivered(200);

    public RecordingChannel(String id, Optional<Double> rateLimit) {
        this.id = id;
        this.rateLimit = rateLimit;
    }

    public synchronized RecordingChannel then(DeliveryOutcome outcome) {
        return thenAfter(outcome, Duration.ZERO);
    }

    /** The next attempt is answered {@code delay} after it starts, as a slow destination or a timeout would. */
    public synchronized RecordingChannel thenAfter(DeliveryOutcome outcome, Duration delay) {
        script.add(new Scripted(outcome, delay));
        return this;
    }

    public synchronized RecordingChannel otherwise(Function<Notification, DeliveryOutcome> answer) {
        this.fallback = answer;
        return this;
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public synchronized List<Notification> delivered() {
        return attempts.stream().filter(a -> a.outcome() instanceof DeliveryOutcome.Delivered)
                .map(Attempt::notification).toList();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return "test";
    }

    @Override
    public Optional<Double> rateLimit() {
        return rateLimit;
    }

    @Override
    public synchronized Future<DeliveryOutcome> deliver(Notification notification) {
        Scripted next = script.isEmpty() ? new Scripted(fallback.apply(notification), Duration.ZERO) : script.poll();
        Instant now = Instant.now();
        attempts.add(new Attempt(notification, now, next.outcome(), now.plus(next.delay())));
        if (next.delay().isZero()) {
            return Future.succeededFuture(next.outcome());
        }
        return Future.fromCompletionStage(CompletableFuture.supplyAsync(next::outcome,
                CompletableFuture.delayedExecutor(next.delay().toMillis(), TimeUnit.MILLISECONDS)));
    }
}
