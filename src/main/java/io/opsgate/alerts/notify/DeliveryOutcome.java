package io.opsgate.alerts.notify;

import java.time.Duration;
import java.util.Optional;

/** What one delivery attempt achieved. */
public sealed interface DeliveryOutcome {
    /** The destination took it (2xx). */
    record Delivered(int statusCode) implements DeliveryOutcome {
    }

    /**
     * A transient failure: 5xx, 408, 429, timeout, connection error. Try again after {@code retryAfter} when the
     * destination said so (Retry-After), else after the dispatcher's backoff.
     */
    record RetryLater(String reason, Optional<Duration> retryAfter) implements DeliveryOutcome {
    }

    /** A permanent failure (any other 4xx, a rejected payload): never retried, surfaced in the API and metrics. */
    record Failed(String reason) implements DeliveryOutcome {
    }
}
