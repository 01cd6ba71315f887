package io.opsgate.alerts.notify;

import io.opsgate.alerts.template.TextBudget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps a PagerDuty event within {@link PagerDutyChannel#MAX_EVENT_BYTES}: the strings of its
 * {@code payload.custom_details} (details text, labels, annotations) are cut to the longest length at which the
 * encoded event fits; when even short strings do not fit (thousands of labels), the details are replaced by a note
 * saying why, as Alertmanager does, and then links are dropped.
 */
final class EventSize {
    private static final int SHORTEST_CUT = 64;

    private EventSize() {
    }

    static JsonObject fit(JsonObject event) {
        return fit(event, PagerDutyChannel.MAX_EVENT_BYTES);
    }

    static JsonObject fit(JsonObject event, int maxBytes) {
        if (bytes(event) <= maxBytes) {
            return event;
        }
        JsonObject payload = event.getJsonObject("payload");
        JsonObject details = payload == null ? null : payload.getJsonObject("custom_details");
        if (details != null) {
            int lo = SHORTEST_CUT;
            int hi = longest(details);
            JsonObject best = null;
            while (lo <= hi) {
                int cut = (lo + hi) >>> 1;
                JsonObject candidate = cutStrings(details, cut);
                payload.put("custom_details", candidate);
                if (bytes(event) <= maxBytes) {
                    best = candidate;
                    lo = cut + 1;
                } else {
                    hi = cut - 1;
                }
            }
            if (best != null) {
                payload.put("custom_details", best);
                return event;
            }
            payload.put("custom_details", new JsonObject().put("error", String.format(Locale.ROOT,
                    "custom details removed: the event exceeded PagerDuty's limit of %,d bytes", maxBytes)));
        }
        if (bytes(event) > maxBytes) {
            event.remove("links");
        }
        return event;
    }

    private static int bytes(JsonObject event) {
        return event.toBuffer().length();
    }

    private static int longest(Object value) {
        if (value instanceof String s) {
            return s.length();
        }
        int max = 0;
        if (value instanceof JsonObject o) {
            for (Map.Entry<String, Object> e : o) {
                max = Math.max(max, longest(e.getValue()));
            }
        } else if (value instanceof JsonArray a) {
            for (Object item : a) {
                max = Math.max(max, longest(item));
            }
        }
        return max;
    }

    private static JsonObject cutStrings(JsonObject o, int maxChars) {
        JsonObject out = new JsonObject();
        for (Map.Entry<String, Object> e : o) {
            out.put(e.getKey(), cutValue(e.getValue(), maxChars));
        }
        return out;
    }

    private static Object cutValue(Object value, int maxChars) {
        if (value instanceof String s) {
            return TextBudget.cut(s, maxChars);
        }
        if (value instanceof JsonObject o) {
            return cutStrings(o, maxChars);
        }
        if (value instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            a.forEach(item -> out.add(cutValue(item, maxChars)));
            return out;
        }
        return value;
    }
}
