package io.opsgate.alerts.notify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the Adaptive Card schema (adaptivecards.io, schemas 1.4 and 1.5) for the elements a card of ours can
 * hold, and of the Teams Workflows message envelope around it: required properties, the element and action types the
 * schema defines, its enumerations (case-insensitive, as renderers read them), and that no element is newer than the
 * card's {@code version}. Returns what breaks a rule; empty when the card is valid.
 */
final class AdaptiveCardRules {
    /** Element type → the card version that introduced it (subset of the 1.5 schema's elements). */
    private static final Map<String, Double> ELEMENTS = Map.ofEntries(
            Map.entry("TextBlock", 1.0), Map.entry("Image", 1.0), Map.entry("Container", 1.0),
            Map.entry("ColumnSet", 1.0), Map.entry("FactSet", 1.0), Map.entry("ImageSet", 1.0),
            Map.entry("ActionSet", 1.2), Map.entry("RichTextBlock", 1.2), Map.entry("Media", 1.1),
            Map.entry("Table", 1.5));
    private static final Map<String, Double> ACTIONS = Map.of("Action.OpenUrl", 1.0, "Action.Submit", 1.0,
            "Action.ShowCard", 1.0, "Action.ToggleVisibility", 1.2, "Action.Execute", 1.4);
    private static final Set<String> COLORS = Set.of("default", "dark", "light", "accent", "good", "warning", "attention");
    private static final Set<String> CONTAINER_STYLES = Set.of("default", "emphasis", "good", "attention", "warning", "accent");
    private static final Set<String> WEIGHTS = Set.of("default", "lighter", "bolder");
    private static final Set<String> SIZES = Set.of("default", "small", "medium", "large", "extralarge");
    private static final Set<String> SPACINGS = Set.of("default", "none", "small", "medium", "large", "extralarge", "padding");
    private static final Set<String> TEXT_STYLES = Set.of("default", "heading");

    private AdaptiveCardRules() {
    }

    /** The Workflows message: {@code type: message}, attachments each an Adaptive Card. */
    static List<String> checkMessage(JsonObject message) {
        List<String> errors = new ArrayList<>();
        if (!"message".equals(message.getString("type"))) {
            errors.add("message.type must be \"message\"");
        }
        JsonArray attachments = message.getJsonArray("attachments");
        if (attachments == null || attachments.isEmpty()) {
            errors.add("message.attachments must hold the card");
            return errors;
        }
        for (int i = 0; i < attachments.size(); i++) {
            JsonObject a = attachments.getJsonObject(i);
            if (!"application/vnd.microsoft.card.adaptive".equals(a.getString("contentType"))) {
                errors.add("attachments[" + i + "].contentType must be application/vnd.microsoft.card.adaptive");
            }
            errors.addAll(checkCard(a.getJsonObject("content"), "attachments[" + i + "].content"));
        }
        return errors;
    }

    static List<String> checkCard(JsonObject card, String at) {
        List<String> errors = new ArrayList<>();
        if (card == null) {
            errors.add(at + " is missing");
            return errors;
        }
        if (!"AdaptiveCard".equals(card.getString("type"))) {
            errors.add(at + ".type must be AdaptiveCard");
        }
        String version = card.getString("version");
        double v = 0;
        if (version == null || !version.matches("1\\.[45]")) {
            errors.add(at + ".version must be 1.4 or 1.5, is " + version);
        } else {
            v = Double.parseDouble(version);
        }
        String schema = card.getString("$schema");
        if (schema == null || !schema.matches("https?://adaptivecards\\.io/schemas/adaptive-card\\.json")) {
            errors.add(at + ".$schema must name the Adaptive Card schema");
        }
        JsonArray body = card.getJsonArray("body");
        if (body != null) {
            elements(body, at + ".body", v, errors);
        }
        JsonArray actions = card.getJsonArray("actions");
        if (actions != null) {
            actions(actions, at + ".actions", v, errors);
        }
        return errors;
    }

    private static void elements(JsonArray items, String at, double version, List<String> errors) {
        for (int i = 0; i < items.size(); i++) {
            String here = at + "[" + i + "]";
            if (!(items.getValue(i) instanceof JsonObject e)) {
                errors.add(here + " must be an object");
                continue;
            }
            String type = e.getString("type");
            Double since = ELEMENTS.get(type);
            if (since == null) {
                errors.add(here + ".type " + type + " is not an Adaptive Card element");
                continue;
            }
            if (version > 0 && since > version) {
                errors.add(here + ": " + type + " needs card version " + since);
            }
            oneOf(e, "spacing", SPACINGS, here, errors);
            switch (type) {
                case "TextBlock" -> {
                    if (!(e.getValue("text") instanceof String text) || text.isEmpty()) {
                        errors.add(here + ".text is required (a non-empty string)");
                    }
                    oneOf(e, "color", COLORS, here, errors);
                    oneOf(e, "weight", WEIGHTS, here, errors);
                    oneOf(e, "size", SIZES, here, errors);
                    oneOf(e, "style", TEXT_STYLES, here, errors);
                    if (e.containsKey("wrap") && !(e.getValue("wrap") instanceof Boolean)) {
                        errors.add(here + ".wrap must be a boolean");
                    }
                }
                case "Container" -> {
                    JsonArray nested = e.getJsonArray("items");
                    if (nested == null) {
                        errors.add(here + ".items is required");
                    } else {
                        elements(nested, here + ".items", version, errors);
                    }
                    oneOf(e, "style", CONTAINER_STYLES, here, errors);
                }
                case "FactSet" -> {
                    JsonArray facts = e.getJsonArray("facts");
                    if (facts == null) {
                        errors.add(here + ".facts is required");
                    } else {
                        for (int f = 0; f < facts.size(); f++) {
                            JsonObject fact = facts.getJsonObject(f);
                            if (!(fact.getValue("title") instanceof String) || !(fact.getValue("value") instanceof String)) {
                                errors.add(here + ".facts[" + f + "] needs string title and value");
                            }
                        }
                    }
                }
                default -> { }
            }
        }
    }

    private static void actions(JsonArray actions, String at, double version, List<String> errors) {
        for (int i = 0; i < actions.size(); i++) {
            String here = at + "[" + i + "]";
            JsonObject a = actions.getJsonObject(i);
            Double since = ACTIONS.get(a.getString("type"));
            if (since == null) {
                errors.add(here + ".type " + a.getString("type") + " is not an Adaptive Card action");
                continue;
            }
            if (version > 0 && since > version) {
                errors.add(here + ": needs card version " + since);
            }
            if ("Action.OpenUrl".equals(a.getString("type"))
                    && !(a.getValue("url") instanceof String url && url.matches("(?i)https?://\\S+"))) {
                errors.add(here + ".url is required (an absolute URL)");
            }
        }
    }

    private static void oneOf(JsonObject e, String key, Set<String> allowed, String at, List<String> errors) {
        Object value = e.getValue(key);
        if (value != null && !(value instanceof String s && allowed.contains(s.toLowerCase(Locale.ROOT)))) {
            errors.add(at + "." + key + " must be one of " + allowed + ", is " + value);
        }
    }
}
