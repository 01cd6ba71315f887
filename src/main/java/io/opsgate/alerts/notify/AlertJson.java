package io.opsgate.alerts.notify;

import com.fasterxml.jackson.core.JsonGenerator;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Timestamps;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
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

    /** {@link #of} written straight to a generator: the same fields in the same order, the same bytes. */
    static void write(JsonGenerator g, Alert a) throws IOException {
        g.writeStartObject();
        g.writeStringField("status", a.status().wire());
        writeMap(g, "labels", a.labels());
        writeMap(g, "annotations", a.annotations());
        g.writeStringField("startsAt", time(a.startsAt()));
        g.writeStringField("endsAt", time(a.endsAt()));
        g.writeStringField("generatorURL", a.generatorUrl() == null ? "" : a.generatorUrl());
        g.writeStringField("fingerprint", a.fingerprint());
        g.writeEndObject();
    }

    /** {@link #map} written straight to a generator as the value of {@code field}: keys sorted. */
    static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        String[] keys = map.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        for (String key : keys) {
            g.writeStringField(key, map.get(key));
        }
        g.writeEndObject();
    }

    /** Alertmanager's spelling of "no end known". */
    static String time(Instant t) {
        return t == null ? "0001-01-01T00:00:00Z" : Timestamps.format(t);
    }
}
