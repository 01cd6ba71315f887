package io.opsgate.alerts.store;

/** Where a page of alert state ends: the primary key (route, fingerprint) of its last row. */
public record AlertKey(String routeId, String fingerprint) {
}
