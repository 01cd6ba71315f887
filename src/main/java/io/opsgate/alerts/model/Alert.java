package io.opsgate.alerts.model;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as Alertmanager's webhook (payload version 4) describes it, after validation.
 *
 * @param endsAt null while Alertmanager does not know an end (it sends {@code 0001-01-01T00:00:00Z})
 * @param generatorUrl may be empty
 */
public record Alert(
        String fingerprint,
        AlertStatus status,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant startsAt,
        Instant endsAt,
        String generatorUrl) {

    public Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
