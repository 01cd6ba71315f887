package io.opsgate.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** Alertmanager webhook bodies (payload version 4) for tests and the benchmark. */
public final class Webhooks {
    private Webhooks() {
    }

    public static JsonObject alert(String fingerprint, String status, Map<String, String> labels, Instant startsAt) {
        return new JsonObject()
                .put("status", status)
                .put("labels", new JsonObject(new java.util.TreeMap<String, Object>(labels)))
                .put("annotations", new JsonObject().put("summary", "summary of " + fingerprint))
                .put("startsAt", startsAt.toString())
                .put("endsAt", status.equals("resolved") ? startsAt.plusSeconds(60).toString() : "0001-01-01T00:00:00Z")
                .put("generatorURL", "http://prometheus:9090/graph?g0.expr=up")
                .put("fingerprint", fingerprint);
    }

    public static JsonObject message(String status, JsonObject... alerts) {
        return new JsonObject()
                .put("version", "4")
                .put("receiver", "opsgate")
                .put("status", status)
                .put("groupKey", "{}:{alertname=\"Test\"}")
                .put("truncatedAlerts", 0)
                .put("groupLabels", new JsonObject().put("alertname", "Test"))
                .put("commonLabels", new JsonObject())
                .put("commonAnnotations", new JsonObject())
                .put("externalURL", "http://alertmanager:9093")
                .put("alerts", new JsonArray(new java.util.ArrayList<>(java.util.List.of((Object[]) alerts))));
    }
}
