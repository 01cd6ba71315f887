package io.opsgate.alerts.webhook;

import io.opsgate.alerts.store.IngestResult;
import io.vertx.core.Future;

/** Where a parsed webhook goes: it completes once the alerts are durably stored, or fails with the reason they are not. */
@FunctionalInterface
public interface WebhookIngest {
    Future<IngestResult> accept(WebhookMessage message);
}
