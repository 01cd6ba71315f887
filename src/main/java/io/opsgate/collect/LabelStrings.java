package io.opsgate.collect;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One copy of each label name and value among the families of one collector's build. The SDK parses every
 * response into fresh strings, so without this the snapshot held ten thousand copies of "gp2", "in-use",
 * "us-east-1a" and of each tag name and common tag value; the snapshot is what the service keeps between
 * cycles, and it overlaps the next cycle's reads (see BENCHMARKS.md).
 */
final class LabelStrings {
    private final Map<String, String> strings = new HashMap<>();
    private final Map<List<String>, String[]> names = new HashMap<>();

    String of(String s) {
        if (s == null) {
            return null;
        }
        String known = strings.putIfAbsent(s, s);
        return known == null ? s : known;
    }

    /** One array per set of label names: the samples of a family mostly have the same names. Never modify it. */
    String[] names(String[] sortedNames) {
        return names.computeIfAbsent(Arrays.asList(sortedNames), k -> sortedNames);
    }
}
