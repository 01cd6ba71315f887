package io.opsgate.alerts.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON the store keeps label sets, receiver lists and outbox payloads in (TEXT columns, any SQL engine).
 * <p>
 * Every webhook passes through here several times (its labels and annotations written at ingest and read at the
 * flush, the outbox payload written at the flush and read back at the claim): profiled under the issue #10
 * benchmark, Jackson's data binding here (an ObjectMapper's serializer lookup per map, {@code readTree} followed
 * by {@code convertValue} per label set) was about a fifth of the gateway's CPU. So the flat shapes the store itself
 * writes are written by hand, with the same bytes as Jackson's default writer ({@code StoreJsonTest} holds them
 * to it), and read with Jackson's streaming parser; anything of another shape is read by data binding as before.
 * Measured (one thread's CPU time, 10-alert webhooks, before and after in turns): 51.0 µs of store JSON per webhook
 * with data binding, 25.2 µs this way (BENCHMARKS.md, "Less CPU per webhook").
 */
final class StoreJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private StoreJson() {
    }

    /** Keys sorted, so that equal label sets give equal text (group ids are compared as text). */
    static String map(Map<String, String> map) {
        StringBuilder out = new StringBuilder(32 * (map.size() + 1));
        writeMap(out, map);
        return out.toString();
    }

    /** Sorted by key (a TreeMap), as data binding into {@code TreeMap<String, String>} gave it. */
    static Map<String, String> readMap(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                TreeMap<String, String> map = readFlatMap(p);
                if (map != null) {
                    return map;
                }
            }
        } catch (IOException e) {
            // not what this store writes: data binding below says what is wrong with it
        }
        return read(json, STRING_MAP);
    }

    static String list(List<String> list) {
        StringBuilder out = new StringBuilder(16 * (list.size() + 1));
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(out, list.get(i));
        }
        return out.append(']').toString();
    }

    static List<String> readList(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == JsonToken.START_ARRAY) {
                List<String> list = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
                    list.add(p.getText());
                }
                if (t == JsonToken.END_ARRAY) {
                    return list;
                }
            }
        } catch (IOException e) {
            // as in readMap
        }
        return read(json, STRING_LIST);
    }

    /** A JSON object of strings, keys in sorted order as Jackson's default writer writes a TreeMap. */
    private static void writeMap(StringBuilder out, Map<String, String> map) {
        out.append('{');
        if (map instanceof TreeMap<String, String> sorted && sorted.comparator() == null) {
            boolean first = true;
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, e.getKey());
                out.append(':');
                writeString(out, e.getValue());
            }
        } else {
            String[] keys = map.keySet().toArray(new String[0]);
            Arrays.sort(keys);
            for (int i = 0; i < keys.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeString(out, keys[i]);
                out.append(':');
                writeString(out, map.get(keys[i]));
            }
        }
        out.append('}');
    }

    /**
     * A JSON string as Jackson's default generator writes it: quote and backslash escaped, the control characters
     * below U+0020 as the short escapes (b, t, n, f, r) or as a backslash-u escape with upper-case hex digits,
     * everything else as it is; null as {@code null}.
     */
    static void writeString(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int start = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, start, s.length()).append('"');
    }

    /**
     * The rest of an object of strings whose START_OBJECT was just read, up to and including its END_OBJECT; null if
     * a value is not a string.
     */
    private static TreeMap<String, String> readFlatMap(JsonParser p) throws IOException {
        TreeMap<String, String> map = new TreeMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            map.put(key, p.getText());
        }
        return t == JsonToken.END_OBJECT ? map : null;
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
        StringBuilder out = new StringBuilder(256 * (alerts.size() + 1));
        out.append("{\"alerts\":[");
        for (int i = 0; i < alerts.size(); i++) {
            RawAlert raw = alerts.get(i);
            Alert a = raw.alert();
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"fingerprint\":");
            writeString(out, a.fingerprint());
            out.append(",\"status\":");
            writeString(out, a.status().wire());
            out.append(",\"labels\":").append(raw.labelsJson());
            out.append(",\"annotations\":").append(raw.annotationsJson());
            out.append(",\"startsAt\":");
            writeString(out, Timestamps.format(a.startsAt()));
            if (a.endsAt() != null) {
                out.append(",\"endsAt\":");
                writeString(out, Timestamps.format(a.endsAt()));
            }
            out.append(",\"generatorURL\":");
            writeString(out, a.generatorUrl());
            out.append('}');
        }
        out.append("],\"groupLabels\":");
        writeMap(out, groupLabels);
        out.append(",\"commonLabels\":");
        writeMap(out, commonLabels);
        out.append(",\"commonAnnotations\":");
        writeMap(out, commonAnnotations);
        return out.append('}').toString();
    }

    record Payload(List<Alert> alerts, Map<String, String> groupLabels, Map<String, String> commonLabels,
                   Map<String, String> commonAnnotations) {
    }

    static Payload readPayload(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            Payload fast = streamPayload(p);
            if (fast != null) {
                return fast;
            }
        } catch (IOException | RuntimeException e) {
            // not of the shape payload() writes: data binding below reads it, or says what is wrong with it
        }
        return bindPayload(json);
    }

    /**
     * The payload as {@link #payload} writes it, read in one pass; null when it holds anything else (a value of
     * another type, a missing field), which {@link #bindPayload} then reads as it always did.
     */
    private static Payload streamPayload(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        List<Alert> alerts = null;
        Map<String, String> groupLabels = null;
        Map<String, String> commonLabels = null;
        Map<String, String> commonAnnotations = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "alerts" -> {
                    if (value != JsonToken.START_ARRAY) {
                        return null;
                    }
                    alerts = new ArrayList<>();
                    JsonToken a;
                    while ((a = p.nextToken()) == JsonToken.START_OBJECT) {
                        Alert alert = streamAlert(p);
                        if (alert == null) {
                            return null;
                        }
                        alerts.add(alert);
                    }
                    if (a != JsonToken.END_ARRAY) {
                        return null;
                    }
                }
                case "groupLabels", "commonLabels", "commonAnnotations" -> {
                    if (value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    TreeMap<String, String> map = readFlatMap(p);
                    if (map == null) {
                        return null;
                    }
                    switch (field) {
                        case "groupLabels" -> groupLabels = map;
                        case "commonLabels" -> commonLabels = map;
                        default -> commonAnnotations = map;
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT || alerts == null || groupLabels == null || commonLabels == null
                || commonAnnotations == null) {
            return null;
        }
        return new Payload(alerts, groupLabels, commonLabels, commonAnnotations);
    }

    /** One alert of the payload whose START_OBJECT was just read; null if it is not as {@link #payload} writes it. */
    private static Alert streamAlert(JsonParser p) throws IOException {
        String fingerprint = null;
        String status = null;
        Map<String, String> labels = null;
        Map<String, String> annotations = null;
        String startsAt = null;
        String endsAt = null;
        String generatorUrl = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "labels", "annotations" -> {
                    if (value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    TreeMap<String, String> map = readFlatMap(p);
                    if (map == null) {
                        return null;
                    }
                    if (field.equals("labels")) {
                        labels = map;
                    } else {
                        annotations = map;
                    }
                }
                case "fingerprint", "status", "startsAt", "endsAt", "generatorURL" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    String text = p.getText();
                    switch (field) {
                        case "fingerprint" -> fingerprint = text;
                        case "status" -> status = text;
                        case "startsAt" -> startsAt = text;
                        case "endsAt" -> endsAt = text;
                        default -> generatorUrl = text;
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT || fingerprint == null || status == null || labels == null
                || annotations == null || startsAt == null || generatorUrl == null) {
            return null;
        }
        return new Alert(fingerprint, AlertStatus.fromWire(status), labels, annotations, Timestamps.parse(startsAt),
                endsAt == null ? null : Timestamps.parse(endsAt), generatorUrl);
    }

    /** The payload by data binding: whatever {@link #streamPayload} does not take, and corrupt ones. */
    private static Payload bindPayload(String json) {
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


    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getMessage(), e);
        }
    }
}
