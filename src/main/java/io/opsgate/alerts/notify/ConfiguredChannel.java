package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Notification;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What every configured destination shares: its id, type and delivery settings, and skipping what
 * {@code send_resolved: false} keeps from it. Subclasses only send.
 */
abstract class ConfiguredChannel implements Channel {
    private final String id;
    private final String type;
    private final OpsGateConfig.Delivery delivery;

    ConfiguredChannel(String id, String type, OpsGateConfig.Delivery delivery) {
        this.id = id;
        this.type = type;
        this.delivery = delivery;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final Optional<Double> rateLimit() {
        return delivery.rateLimit();
    }

    @Override
    public final boolean sendResolved() {
        return delivery.sendResolved();
    }

    @Override
    public final Future<DeliveryOutcome> deliver(Notification notification) {
        Optional<Notification> sendable = Sendable.filter(notification, sendResolved());
        return sendable.isEmpty() ? Future.succeededFuture(Sendable.NOTHING_TO_SEND) : send(sendable.get());
    }

    /** Sends a notification that holds something for this destination; never throws. */
    abstract Future<DeliveryOutcome> send(Notification sendable);
}
