package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Alerts and notifications shaped like those Alertmanager sends. */
final class Fixtures {
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private Fixtures() {
    }

    static Alert firing(String fingerprint, Map<String, String> labels, Map<String, String> annotations) {
        return new Alert(fingerprint, AlertStatus.FIRING, labels, annotations, START, null,
                "http://prometheus.local:9090/graph?g0.expr=up+%3D%3D+0");
    }

    static Alert resolved(Alert a) {
        return new Alert(a.fingerprint(), AlertStatus.RESOLVED, a.labels(), a.annotations(), a.startsAt(),
                START.plusSeconds(600), a.generatorUrl());
    }

    static Notification notification(long id, List<Alert> alerts) {
        AlertStatus status = alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING)
                ? AlertStatus.FIRING : AlertStatus.RESOLVED;
        return new Notification(id, "0.1", "team", "team/webhook[0]", "{}/{severity=\"critical\"}:{alertname=\"InstanceDown\"}",
                status, alerts, Map.of("alertname", "InstanceDown"), Map.of("alertname", "InstanceDown", "job", "node"),
                Map.of(), "http://alertmanager.local:9093", START.plusSeconds(31), 0);
    }

    static Alert instanceDown(String instance) {
        return firing("fp-" + instance, Map.of("alertname", "InstanceDown", "instance", instance, "job", "node",
                "severity", "critical"), Map.of("summary", instance + " is down", "description", "no scrape for 5m"));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
