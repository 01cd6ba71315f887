package io.opsgate.alerts.template;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A typical notification (one firing, one resolved alert) that templates are test-rendered with at config load. */
final class SampleNotification {
    private SampleNotification() {
    }

    static Notification create() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Alert firing = new Alert("0123456789abcdef", AlertStatus.FIRING,
                Map.of("alertname", "SampleAlert", "severity", "critical", "instance", "host:9100", "job", "node"),
                Map.of("summary", "sample summary", "description", "sample description"), start, null,
                "http://prometheus.example/graph");
        Alert resolved = new Alert("fedcba9876543210", AlertStatus.RESOLVED,
                Map.of("alertname", "SampleAlert", "severity", "critical", "instance", "other:9100", "job", "node"),
                Map.of("summary", "sample summary"), start, start.plusSeconds(60), "");
        return new Notification(0, "0", "sample", "sample/log[0]", "{}:{alertname=\"SampleAlert\"}",
                AlertStatus.FIRING, List.of(firing, resolved), Map.of("alertname", "SampleAlert"),
                Map.of("alertname", "SampleAlert", "severity", "critical", "job", "node"),
                Map.of("summary", "sample summary"), "http://alertmanager.example", start, 0);
    }
}
