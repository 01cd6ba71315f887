package io.opsgate.alerts.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON the store keeps label sets, receiver lists and outbox payloads in (TEXT columns, any SQL engine). */
final class StoreJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private StoreJson() {
    }

    /** Keys sorted, so that equal label sets give equal text (group ids are compared as text). */
    static String map(Map<String, String> map) {
        return write(new TreeMap<>(map));
    }

    static Map<String, String> readMap(String json) {
        return read(json, STRING_MAP);
    }

    static String list(List<String> list) {
        return write(list);
    }

    static List<String> readList(String json) {
        return read(json, STRING_LIST);
    }

    /** An alert read back from the store together with the JSON text its label sets are stored as. */
    record RawAlert(Alert alert, String labelsJson, String annotationsJson) {
    }

    /**
     * The outbox payload: the alerts of a notification and the label sets derived from them. The stored label JSON
     * is copied as it is rather than serialised again: this runs for every notification inside the write
     * transaction.
     */
    static String payload(List<RawAlert> alerts, Map<String, String> groupLabels, Map<String, String> commonLabels,
                          Map<String, String> commonAnnotations) {
        StringWriter out = new StringWriter(256 * (alerts.size() + 1));
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("alerts");
            for (RawAlert raw : alerts) {
                Alert a = raw.alert();
                g.writeStartObject();
                g.writeStringField("fingerprint", a.fingerprint());
                g.writeStringField("status", a.status().wire());
                g.writeFieldName("labels");
                g.writeRawValue(raw.labelsJson());
                g.writeFieldName("annotations");
                g.writeRawValue(raw.annotationsJson());
                g.writeStringField("startsAt", a.startsAt().toString());
                if (a.endsAt() != null) {
                    g.writeStringField("endsAt", a.endsAt().toString());
                }
                g.writeStringField("generatorURL", a.generatorUrl());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("groupLabels");
            g.writeRawValue(map(groupLabels));
            g.writeFieldName("commonLabels");
            g.writeRawValue(map(commonLabels));
            g.writeFieldName("commonAnnotations");
            g.writeRawValue(map(commonAnnotations));
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    record Payload(List<Alert> alerts, Map<String, String> groupLabels, Map<String, String> commonLabels,
                   Map<String, String> commonAnnotations) {
    }

    static Payload readPayload(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<Alert> alerts = new ArrayList<>();
            for (JsonNode n : root.get("alerts")) {
                JsonNode ends = n.get("endsAt");
                alerts.add(new Alert(n.get("fingerprint").asText(), AlertStatus.fromWire(n.get("status").asText()),
                        MAPPER.convertValue(n.get("labels"), STRING_MAP),
                        MAPPER.convertValue(n.get("annotations"), STRING_MAP),
                        Instant.parse(n.get("startsAt").asText()),
                        ends == null ? null : Instant.parse(ends.asText()),
                        n.get("generatorURL").asText()));
            }
            return new Payload(alerts, MAPPER.convertValue(root.get("groupLabels"), STRING_MAP),
                    MAPPER.convertValue(root.get("commonLabels"), STRING_MAP),
                    MAPPER.convertValue(root.get("commonAnnotations"), STRING_MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt outbox payload: " + e.getMessage(), e);
        }
    }

    static List<String> fingerprints(String payload) {
        try {
            List<String> result = new ArrayList<>();
            for (JsonNode n : MAPPER.readTree(payload).get("alerts")) {
                result.add(n.get("fingerprint").asText());
            }
            return result;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt outbox payload: " + e.getMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getMessage(), e);
        }
    }
}
