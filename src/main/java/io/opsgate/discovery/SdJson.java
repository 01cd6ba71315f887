package io.opsgate.discovery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Map;
import java.util.TreeMap;

/** JSON string and object encoding for the pre-serialised parts of an http_sd response. */
public final class SdJson {
    private SdJson() {
    }

    /** A JSON object of string values with keys sorted, so equal label sets serialise identically. */
    static String object(Map<String, String> values) {
        StringBuilder sb = new StringBuilder(values.size() * 64);
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.getKey()).append(':');
            string(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    public static StringBuilder string(StringBuilder sb, String value) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, sb);
        return sb.append('"');
    }
}
