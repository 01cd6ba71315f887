package io.opsgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named http_sd query from {@code discovery.jobs}: its kind and its URL query parameters as configured
 * ({@code tags} and {@code tag_regex} entries become {@code tag.<Key>} and {@code tag_regex.<Key>}).
 * {@code io.opsgate.discovery} parses the parameters, and reports a bad one at {@code at().of(parameter)}.
 */
public record SdJob(String name, DiscoveryKind kind, Map<String, List<String>> params, Origins at) {
    public SdJob {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        params = java.util.Collections.unmodifiableMap(copy);
    }
}
