package io.opsgate.alerts.store;

/** One channel of a receiver as the outbox records it: {@code id} is {@link io.opsgate.alerts.notify.Channel#id()}. */
public record Destination(String id, String type) {
}
