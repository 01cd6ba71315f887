package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Alerts in Alertmanager's webhook spelling, so receivers of our webhook can reuse their Alertmanager parsers. */
final class AlertJson {
    private AlertJson() {
    }

    static JsonObject of(Alert a) {
        return new JsonObject()
                .put("status", a.status().wire())
                .put("labels", map(a.labels()))
                .put("annotations", map(a.annotations()))
                .put("startsAt", time(a.startsAt()))
                .put("endsAt", time(a.endsAt()))
                .put("generatorURL", a.generatorUrl() == null ? "" : a.generatorUrl())
                .put("fingerprint", a.fingerprint());
    }

    static JsonObject map(Map<String, String> m) {
        return new JsonObject(new TreeMap<>(m));
    }

    /** Alertmanager's spelling of "no end known". */
    static String time(Instant t) {
        return t == null ? "0001-01-01T00:00:00Z" : Timestamps.format(t);
    }
}
