package io.opsgate.alerts;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.notify.Channel;
import io.opsgate.alerts.notify.DeliveryOutcome;
import io.vertx.core.Future;
import java.time.Instant;
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
    public record Attempt(Notification notification, Instant at, DeliveryOutcome outcome) {
    }

    private final String id;
    private final Optional<Double> rateLimit;
    private final Deque<DeliveryOutcome> script = new ArrayDeque<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private Function<Notification, DeliveryOutcome> fallback = n -> new DeliveryOutcome.Delivered(200);

    public RecordingChannel(String id, Optional<Double> rateLimit) {
        this.id = id;
        this.rateLimit = rateLimit;
    }

    public synchronized RecordingChannel then(DeliveryOutcome outcome) {
        script.add(outcome);
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
        DeliveryOutcome outcome = script.isEmpty() ? fallback.apply(notification) : script.poll();
        attempts.add(new Attempt(notification, Instant.now(), outcome));
        return Future.succeededFuture(outcome);
    }
}
