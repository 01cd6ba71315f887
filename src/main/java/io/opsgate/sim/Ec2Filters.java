package io.opsgate.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code Filter.N.Name / Filter.N.Value.M}: within a filter the values are OR-ed, filters are AND-ed, and
 * values may use the {@code *} and {@code ?} wildcards, as in EC2. Filter names the caller's attribute function
 * does not know are ignored.
 */
final class Ec2Filters {

    private final Map<String, List<Predicate<String>>> filters;

    private Ec2Filters(Map<String, List<Predicate<String>>> filters) {
        this.filters = filters;
    }

    static Ec2Filters parse(QueryParams params) {
        Map<String, List<Predicate<String>>> filters = new LinkedHashMap<>();
        for (int n = 1; ; n++) {
            String name = params.get("Filter." + n + ".Name");
            if (name == null) {
                break;
            }
            List<Predicate<String>> matchers = new ArrayList<>();
            for (String value : params.list("Filter." + n + ".Value")) {
                matchers.add(matcher(value));
            }
            filters.computeIfAbsent(name, k -> new ArrayList<>()).addAll(matchers);
        }
        return new Ec2Filters(filters);
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    /**
     * @param attributes returns the resource's values for a filter name, or null when that filter is unsupported
     */
    <T> boolean matches(T resource, BiFunction<T, String, List<String>> attributes) {
        for (Map.Entry<String, List<Predicate<String>>> f : filters.entrySet()) {
            List<String> values = attributes.apply(resource, f.getKey());
            if (values == null) {
                continue;
            }
            boolean any = false;
            for (String v : values) {
                for (Predicate<String> m : f.getValue()) {
                    if (v != null && m.test(v)) {
                        any = true;
                        break;
                    }
                }
                if (any) {
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** Shared handling of {@code tag:Key} and {@code tag-key}. */
    static List<String> tagAttribute(Map<String, String> tags, String filterName) {
        if (filterName.startsWith("tag:")) {
            String v = tags.get(filterName.substring(4));
            return v == null ? List.of() : List.of(v);
        }
        if (filterName.equals("tag-key")) {
            return List.copyOf(tags.keySet());
        }
        if (filterName.equals("tag-value")) {
            return List.copyOf(tags.values());
        }
        return null;
    }

    private static Predicate<String> matcher(String value) {
        if (value.indexOf('*') < 0 && value.indexOf('?') < 0) {
            return value::equals;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern p = Pattern.compile(regex.toString(), Pattern.DOTALL);
        return s -> p.matcher(s).matches();
    }
}
