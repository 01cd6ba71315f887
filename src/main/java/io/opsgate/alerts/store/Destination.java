package io.opsgate.alerts.store;

/**
 * One channel of a receiver as the outbox records it: {@code id} is {@link io.opsgate.alerts.notify.Channel#id()}.
 *
 * @param sendResolved when false, notifications holding only resolved alerts get no outbox row for this channel
 */
public record Destination(String id, String type, boolean sendResolved) {
}
