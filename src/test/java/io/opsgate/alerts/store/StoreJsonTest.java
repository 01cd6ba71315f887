package io.opsgate.alerts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The store's hand-written JSON against Jackson's: the same text as Jackson's default writer (stored label sets are
 * compared as text, and rows written before it must read the same), and read back as data binding reads it.
 */
class StoreJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    /** Any text, with the characters JSON escapes (quote, backslash, controls) and non-ASCII ones often. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(20),
                Arbitraries.strings().withChars('"', '\\', '\n', '\t', '\u0001', '\u001f', '\u007f', '/', 'a',
                        '\u2028', '\uFFFD', '\ud83d', '\ude00', 'é').ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(16));
    }

    @Provide
    Arbitrary<Map<String, String>> maps() {
        return Arbitraries.maps(texts(), texts()).ofMaxSize(8);
    }

    @Property(tries = 1000)
    void mapIsJacksonsTextOfTheSortedMap(@ForAll("maps") Map<String, String> map) throws Exception {
        assertThat(StoreJson.map(map)).isEqualTo(JACKSON.writeValueAsString(new TreeMap<>(map)));
        assertThat(StoreJson.map(new TreeMap<>(map))).isEqualTo(StoreJson.map(map));
        assertThat(StoreJson.readMap(StoreJson.map(map))).isEqualTo(new TreeMap<>(map))
                .isInstanceOf(TreeMap.class);
    }

    @Property(tries = 500)
    void listIsJacksonsText(@ForAll("lists") List<String> list) throws Exception {
        assertThat(StoreJson.list(list)).isEqualTo(JACKSON.writeValueAsString(list));
        assertThat(StoreJson.readList(StoreJson.list(list))).isEqualTo(list);
    }

    @Provide
    Arbitrary<List<String>> lists() {
        return texts().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Alert> alerts() {
        Arbitrary<Instant> times = Combinators.combine(Arbitraries.longs().between(0, 4_000_000_000L),
                Arbitraries.of(0, 123_000_000, 123_456_000, 123_456_789)).as(Instant::ofEpochSecond);
        return Combinators.combine(texts(), Arbitraries.of(AlertStatus.values()), maps(), maps(), times,
                        times.injectNull(0.5), texts())
                .as(Alert::new);
    }

    @Property(tries = 500)
    void payloadIsWhatJacksonsGeneratorWroteAndReadsBackAsDataBindingReadsIt(
            @ForAll("payloadAlerts") List<Alert> alerts, @ForAll("maps") Map<String, String> groupLabels,
            @ForAll("maps") Map<String, String> common, @ForAll("maps") Map<String, String> annotations)
            throws Exception {
        List<StoreJson.RawAlert> raw = alerts.stream()
                .map(a -> new StoreJson.RawAlert(a, StoreJson.map(a.labels()), StoreJson.map(a.annotations())))
                .toList();
        String payload = StoreJson.payload(raw, groupLabels, common, annotations);
        assertThat(payload).isEqualTo(jacksonPayload(raw, groupLabels, common, annotations));

        StoreJson.Payload read = StoreJson.readPayload(payload);
        assertThat(read.alerts()).isEqualTo(alerts);
        assertThat(read.groupLabels()).isEqualTo(new TreeMap<>(groupLabels));
        assertThat(read.commonLabels()).isEqualTo(new TreeMap<>(common));
        assertThat(read.commonAnnotations()).isEqualTo(new TreeMap<>(annotations));
        assertThat(StoreJson.fingerprints(payload)).isEqualTo(alerts.stream().map(Alert::fingerprint).toList());
    }

    @Provide
    Arbitrary<List<Alert>> payloadAlerts() {
        return alerts().list().ofMaxSize(4);
    }

    @Example
    void aPayloadOfAnotherLayoutReadsTheSame() throws Exception {
        Alert a = new Alert("f1", AlertStatus.FIRING, Map.of("alertname", "A", "b", "x\"y"), Map.of("summary", "s"),
                Instant.parse("2024-05-01T10:00:00.123Z"), null, "http://g");
        String payload = StoreJson.payload(List.of(new StoreJson.RawAlert(a, StoreJson.map(a.labels()),
                StoreJson.map(a.annotations()))), Map.of("alertname", "A"), Map.of("alertname", "A"), Map.of());
        // pretty-printed, fields in another order, one more field: as a later version might write it
        ObjectNode tree = (ObjectNode) JACKSON.readTree(payload);
        ObjectNode other = JACKSON.createObjectNode();
        other.put("version", 2);
        other.set("commonAnnotations", tree.get("commonAnnotations"));
        other.set("groupLabels", tree.get("groupLabels"));
        other.set("commonLabels", tree.get("commonLabels"));
        other.set("alerts", tree.get("alerts"));
        ((ObjectNode) other.get("alerts").get(0)).putArray("extra").add(1);
        StoreJson.Payload read = StoreJson.readPayload(JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(other));
        assertThat(read.alerts()).containsExactly(a);
        assertThat(read.groupLabels()).containsExactly(Map.entry("alertname", "A"));
        assertThat(read.commonAnnotations()).isEmpty();
    }

    @Example
    void whatIsNotOfTheStoresShapeIsReadByDataBindingAsBefore() {
        // a null label value: data binding keeps it, as it always did
        Map<String, String> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThat(StoreJson.readMap("{\"a\":null}")).isEqualTo(withNull);
        assertThat(StoreJson.readList("[\"a\",null]")).containsExactly("a", null);
        assertThatThrownBy(() -> StoreJson.readMap("{\"a\":")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("corrupt JSON column");
        assertThatThrownBy(() -> StoreJson.readPayload("{\"alerts\":[")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("corrupt outbox payload");
    }

    /** The payload as StoreJson wrote it with Jackson's generator before it was written by hand. */
    private static String jacksonPayload(List<StoreJson.RawAlert> alerts, Map<String, String> groupLabels,
                                         Map<String, String> commonLabels, Map<String, String> commonAnnotations)
            throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JACKSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("alerts");
            for (StoreJson.RawAlert raw : alerts) {
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
            g.writeRawValue(JACKSON.writeValueAsString(new TreeMap<>(groupLabels)));
            g.writeFieldName("commonLabels");
            g.writeRawValue(JACKSON.writeValueAsString(new TreeMap<>(commonLabels)));
            g.writeFieldName("commonAnnotations");
            g.writeRawValue(JACKSON.writeValueAsString(new TreeMap<>(commonAnnotations)));
            g.writeEndObject();
        }
        return out.toString();
    }
}
