package io.opsgate.alerts.dispatch;

import java.time.Duration;

/**
 * How the dispatcher retries.
 *
 * @param backoff     delay before a retry the destination gave no Retry-After for
 * @param maxAge      a notification still undelivered this long after it was created is failed for good
 * @param maxInFlight deliveries running at once, across destinations
 */
public record DeliveryPolicy(Backoff backoff, Duration maxAge, int maxInFlight) {
}
