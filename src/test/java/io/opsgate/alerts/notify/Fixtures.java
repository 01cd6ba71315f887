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

    /**
     * {@code count} InstanceDown alerts as a node_exporter fleet raises them when a zone goes away: the label set and
     * annotations of the usual node-mixin rule, with a runbook link, each alert its own host.
     */
    static List<Alert> instanceDownGroup(int count) {
        List<Alert> alerts = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String instance = "ip-10-" + (i / 65536 % 256) + "-" + (i / 256 % 256) + "-" + (i % 256)
                    + ".eu-west-1.compute.internal:9100";
            Map<String, String> labels = Map.of("alertname", "InstanceDown", "instance", instance, "job", "node",
                    "severity", "critical", "env", "production", "region", "eu-west-1", "team", "platform",
                    "availability_zone", "eu-west-1" + "abc".charAt(i % 3));
            Map<String, String> annotations = Map.of(
                    "summary", "Instance " + instance + " down",
                    "description", instance + " of job node has been down for more than 5 minutes. No scrape has"
                            + " succeeded since the last deploy; check the instance's status checks and security groups.",
                    "runbook_url", "https://runbooks.example.com/node/InstanceDown.md#" + i);
            alerts.add(new Alert(String.format("%016x", 0x9e3779b97f4a7c15L * (i + 1)), AlertStatus.FIRING, labels,
                    annotations, START.plusSeconds(i % 60), null,
                    "http://prometheus-" + (i % 2) + ".monitoring:9090/graph?g0.expr=up%7Bjob%3D%22node%22%7D+%3D%3D+0"));
        }
        return alerts;
    }

    /** 60 s: the 5,000-event PagerDuty case takes ~3 s alone and over 20 s on the shared 2-core machine under load. */
    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
