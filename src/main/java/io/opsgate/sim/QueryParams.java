package io.opsgate.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The flattened {@code application/x-www-form-urlencoded} parameters of a query-protocol request. */
final class QueryParams {

    private final Map<String, String> values;
    /** Every {@code a.}, {@code a.b.}, ... that starts some parameter name; built on first use. */
    private Set<String> prefixes;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    static QueryParams parse(String body) {
        Map<String, String> map = new HashMap<>();
        if (body != null && !body.isEmpty()) {
            int start = 0;
            int len = body.length();
            while (start <= len) {
                int amp = body.indexOf('&', start);
                int end = amp < 0 ? len : amp;
                if (end > start) {
                    int eq = body.indexOf('=', start);
                    String key;
                    String value;
                    if (eq < 0 || eq > end) {
                        key = decode(body.substring(start, end));
                        value = "";
                    } else {
                        key = decode(body.substring(start, eq));
                        value = decode(body.substring(eq + 1, end));
                    }
                    map.put(key, value);
                }
                if (amp < 0) {
                    break;
                }
                start = amp + 1;
            }
        }
        return new QueryParams(map);
    }

    private static String decode(String s) {
        return s.indexOf('%') < 0 && s.indexOf('+') < 0 ? s : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    String get(String name) {
        return values.get(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Whether some parameter name starts with {@code prefix}, which ends with a dot. */
    boolean hasPrefix(String prefix) {
        if (prefixes == null) {
            Set<String> all = new HashSet<>(values.size() * 4);
            for (String key : values.keySet()) {
                for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
                    all.add(key.substring(0, dot + 1));
                }
            }
            prefixes = all;
        }
        return prefixes.contains(prefix);
    }

    /** Values of {@code prefix.1}, {@code prefix.2}, ... (the ec2 / awsQuery flattened list encoding). */
    List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            String v = values.get(prefix + "." + i);
            if (v == null) {
                return out;
            }
            out.add(v);
        }
    }

    /** The number of list entries under {@code prefix.N.<probe>} (probe names a member every entry has). */
    int count(String prefix, String... probes) {
        int n = 0;
        while (true) {
            boolean found = false;
            String base = prefix + "." + (n + 1) + ".";
            for (String probe : probes) {
                if (values.containsKey(base + probe)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return n;
            }
            n++;
        }
    }

    Integer integer(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw AwsError.invalidParameterValue("Invalid value '" + v + "' for parameter " + name + ".");
        }
    }

    boolean bool(String name) {
        return "true".equalsIgnoreCase(values.get(name));
    }

    Instant instant(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochSecond((long) Double.parseDouble(v));
            } catch (NumberFormatException ignored) {
                throw AwsError.invalidParameterValue("Invalid value '" + v + "' for parameter " + name + ".");
            }
        }
    }
}
