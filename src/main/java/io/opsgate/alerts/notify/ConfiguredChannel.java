package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.TemplateException;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What every configured destination shares: its id, type and delivery settings, skipping what
 * {@code send_resolved: false} keeps from it, and keeping configured secrets out of every outcome's reason (the
 * dispatcher stores and logs it). Subclasses only send.
 */
abstract class ConfiguredChannel implements Channel {
    private final String id;
    private final String type;
    private final OpsGateConfig.Delivery delivery;
    private final SecretRedactor redactor;

    ConfiguredChannel(String id, String type, OpsGateConfig.Delivery delivery, SecretRedactor redactor) {
        this.id = id;
        this.type = type;
        this.delivery = delivery;
        this.redactor = redactor;
    }

    final SecretRedactor redactor() {
        return redactor;
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
        return deliver(notification, MessageMemory.NONE);
    }

    @Override
    public final Future<DeliveryOutcome> deliver(Notification notification, MessageMemory memory) {
        Optional<Notification> sendable = Sendable.filter(notification, sendResolved());
        if (sendable.isEmpty()) {
            return Future.succeededFuture(Sendable.NOTHING_TO_SEND);
        }
        Future<DeliveryOutcome> sent;
        try {
            sent = send(sendable.get(), memory);
        } catch (TemplateException e) {
            sent = Future.succeededFuture(templateError(e));
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        return sent.recover(e -> Future.succeededFuture(new DeliveryOutcome.RetryLater(
                        "channel error: " + e, Optional.empty())))
                .map(redactor::redact);
    }

    /**
     * A template that fails on this data fails the same way on every attempt: permanent, with the template's line.
     * Size is never one (templates are cut to fit, see {@code TextBudget}).
     */
    static DeliveryOutcome templateError(TemplateException e) {
        return new DeliveryOutcome.Failed("template error: " + e.getMessage());
    }

    /** Sends a notification that holds something for this destination; a {@link TemplateException} fails it for good. */
    abstract Future<DeliveryOutcome> send(Notification sendable);

    /** As {@link #send(Notification)}, for channels that keep a message per group in {@code memory}. */
    Future<DeliveryOutcome> send(Notification sendable, MessageMemory memory) {
        return send(sendable);
    }
}
