package io.opsgate.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EventSizeTest {
    private static JsonObject event(JsonObject details) {
        return new JsonObject().put("routing_key", "k").put("event_action", "trigger")
                .put("payload", new JsonObject().put("summary", "s").put("custom_details", details))
                .put("links", new JsonArray().add(new JsonObject().put("href", "http://x/" + "p".repeat(1000))));
    }

    @Test
    void anEventWithinTheLimitIsSentAsItIs() {
        JsonObject small = event(new JsonObject().put("details", "d"));
        assertThat(EventSize.fit(small.copy())).isEqualTo(small);
    }

    @Test
    void longStringsOfTheDetailsAreCutToTheLongestLengthThatFits() {
        JsonObject details = new JsonObject().put("details", "a".repeat(400_000))
                .put("annotations", new JsonObject().put("description", "b".repeat(400_000)).put("short", "kept"));
        JsonObject fitted = EventSize.fit(event(details));
        int bytes = fitted.toBuffer().length();
        assertThat(bytes).isLessThanOrEqualTo(PagerDutyChannel.MAX_EVENT_BYTES).isGreaterThan(500_000);
        JsonObject cut = fitted.getJsonObject("payload").getJsonObject("custom_details");
        assertThat(cut.getString("details")).startsWith("aaa").endsWith("…");
        assertThat(cut.getJsonObject("annotations").getString("description")).endsWith("…");
        assertThat(cut.getJsonObject("annotations").getString("short")).isEqualTo("kept");
        assertThat(fitted.getJsonArray("links")).hasSize(1);
    }

    @Test
    void detailsThatCannotBeCutSmallEnoughAreReplacedByANoteAsAlertmanagerDoes() {
        JsonObject labels = new JsonObject();
        for (int i = 0; i < 30_000; i++) {
            labels.put(String.format("label_name_number_%08d", i), "v");
        }
        JsonObject fitted = EventSize.fit(event(new JsonObject().put("labels", labels)));
        assertThat(fitted.toBuffer().length()).isLessThanOrEqualTo(PagerDutyChannel.MAX_EVENT_BYTES);
        assertThat(fitted.getJsonObject("payload").getJsonObject("custom_details").getString("error"))
                .isEqualTo("custom details removed: the event exceeded PagerDuty's limit of 512,000 bytes");
        assertThat(fitted.getJsonArray("links")).as("small enough without dropping links").hasSize(1);
    }
}
