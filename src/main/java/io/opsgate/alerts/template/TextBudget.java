package io.opsgate.alerts.template;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Fits rendered text into a destination's limits, the one place every channel cuts text: a group whose text is too
 * long shows as many of its alerts as fit and a last line saying how many more there are; text that does not get
 * shorter with fewer alerts (or one alert that alone is too long) is cut, marked with "…". Rendering stops at the
 * budget (see {@link MessageTemplate#render(Map, int)}), so fitting 5,000 alerts costs a few renders of the budget,
 * not of the whole group.
 */
public final class TextBudget {
    /** Marks text cut in the middle. */
    public static final String ELLIPSIS = "…";

    private TextBudget() {
    }

    /**
     * @param text    what to send
     * @param omitted how many of the alerts the text leaves out (named in its last line); 0 when it shows all
     * @param cut     whether the text was cut in the middle (then {@code omitted} is 0: it is not known how many)
     */
    public record Fitted(String text, int omitted, boolean cut) {
    }

    /** The line that ends a text that leaves {@code omitted} alerts out. */
    public static String moreLine(int omitted) {
        return String.format(Locale.ROOT, "… and %,d more %s", omitted, omitted == 1 ? "alert" : "alerts");
    }

    /** {@link #fit(MessageTemplate, Notification, List, int, Predicate)} over all alerts of {@code n}, by length only. */
    public static Fitted fit(MessageTemplate template, Notification n, int maxChars) {
        return fit(template, n, n.alerts(), maxChars, text -> true);
    }

    /**
     * Renders {@code template} over {@code alerts} (of {@code n}) so that the text has at most {@code maxChars}
     * characters and passes {@code fits} (a destination's further rule, e.g. how many blocks it splits into).
     * {@code fits} must hold for the empty text.
     */
    public static Fitted fit(MessageTemplate template, Notification n, List<Alert> alerts, int maxChars,
                             Predicate<String> fits) {
        return fit(template, n, alerts, TemplateData.forAlerts(n, alerts), maxChars, fits);
    }

    /**
     * {@link #fit(MessageTemplate, Notification, List, int, Predicate)} with the template data of those alerts
     * already built ({@code whole}: {@link TemplateData#forAlerts}{@code (n, alerts)}), for a channel that renders
     * other templates over the same data: building it costs more than a short render. Rendering does not change it.
     */
    public static Fitted fit(MessageTemplate template, Notification n, List<Alert> alerts, Map<String, Object> whole,
                             int maxChars, Predicate<String> fits) {
        Rendered all = template.render(whole, maxChars);
        if (!all.cut() && fits.test(all.text())) {
            return new Fitted(all.text(), 0, false);
        }
        // The longest prefix of the alerts whose text, with the line naming the rest, fits.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> maps = (List<Map<String, Object>>) whole.get("alerts");
        int lo = 1;
        int hi = alerts.size() - 1;
        String best = null;
        int shown = 0;
        while (lo <= hi) {
            int k = (lo + hi) >>> 1;
            Map<String, Object> data = new java.util.LinkedHashMap<>(whole);
            Map<String, Object> prefix = TemplateData.ofMaps(n, maps.subList(0, k), n.status());
            data.put("alerts", prefix.get("alerts"));
            data.put("firing", prefix.get("firing"));
            data.put("resolved", prefix.get("resolved"));
            Rendered r = template.render(data, maxChars);
            String text = join(r.text(), moreLine(alerts.size() - k));
            if (!r.cut() && text.length() <= maxChars && fits.test(text)) {
                best = text;
                shown = k;
                lo = k + 1;
            } else {
                hi = k - 1;
            }
        }
        if (best != null) {
            return new Fitted(best, alerts.size() - shown, false);
        }
        // Stopped at the budget: the text goes on, so its cut must show even when it is exactly the budget long.
        String text = all.cut() ? all.text() + ELLIPSIS : all.text();
        return new Fitted(cut(text, maxChars, fits), 0, true);
    }

    /** {@code text} cut to at most {@code maxChars} characters, ending in "…" when cut. */
    public static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        if (maxChars < ELLIPSIS.length()) {
            return "";
        }
        int end = maxChars - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    /** The rendered text cut to {@code maxChars}, marked "…" also when the template was stopped at that length. */
    public static String cut(Rendered rendered, int maxChars) {
        String text = rendered.text();
        if (rendered.cut() && text.length() >= maxChars) {
            return cut(text + ELLIPSIS, maxChars);
        }
        return rendered.cut() ? text + ELLIPSIS : cut(text, maxChars);
    }

    /** The longest cut of {@code text} to at most {@code maxChars} that passes {@code fits}. */
    public static String cut(String text, int maxChars, Predicate<String> fits) {
        String whole = cut(text, maxChars);
        if (fits.test(whole)) {
            return whole;
        }
        int lo = 0;
        int hi = Math.min(text.length(), maxChars) - 1;
        String best = "";
        while (lo <= hi) {
            int len = (lo + hi) >>> 1;
            String candidate = cut(text, len);
            if (fits.test(candidate)) {
                best = candidate;
                lo = len + 1;
            } else {
                hi = len - 1;
            }
        }
        return best;
    }

    /**
     * Splits {@code text} into chunks of at most {@code maxChunk} characters at line breaks (the line break between
     * two chunks is dropped); a line longer than a chunk is split inside, never within a surrogate pair.
     */
    public static List<String> split(String text, int maxChunk) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!chunk.isEmpty() && chunk.length() + 1 + line.length() <= maxChunk) {
                chunk.append('\n').append(line);
                continue;
            }
            if (!chunk.isEmpty()) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
            }
            String rest = line;
            while (rest.length() > maxChunk) {
                int end = Character.isHighSurrogate(rest.charAt(maxChunk - 1)) ? maxChunk - 1 : maxChunk;
                chunks.add(rest.substring(0, end));
                rest = rest.substring(end);
            }
            chunk.append(rest);
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk.toString());
        }
        return chunks;
    }

    private static String join(String text, String line) {
        return text.isEmpty() ? line : text + "\n" + line;
    }
}
