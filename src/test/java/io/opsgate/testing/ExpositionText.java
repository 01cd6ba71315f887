package io.opsgate.testing;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of Prometheus text exposition for assertions. */
public final class ExpositionText {
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ExpositionText() {
    }

    /** Sample lines of one metric name (exact name, not a prefix). */
    public static List<String> samples(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).toList();
    }

    public static String label(String sampleLine, String label) {
        Matcher m = LABEL.matcher(sampleLine.substring(0, Math.max(0, sampleLine.lastIndexOf('}') + 1)));
        while (m.find()) {
            if (m.group(1).equals(label)) {
                return m.group(2);
            }
        }
        return null;
    }

    public static double value(String sampleLine) {
        int labelsEnd = sampleLine.lastIndexOf('}');
        String rest = labelsEnd >= 0 ? sampleLine.substring(labelsEnd + 1) : sampleLine.substring(sampleLine.indexOf(' '));
        String[] parts = rest.trim().split(" ");
        return Double.parseDouble(parts[0]);
    }

    /** Sum of the values of all samples of a metric whose line contains every given fragment. */
    public static double sum(String body, String name, String... fragments) {
        return samples(body, name).stream()
                .filter(l -> List.of(fragments).stream().allMatch(l::contains))
                .mapToDouble(ExpositionText::value).sum();
    }
}
