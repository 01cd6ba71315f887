package io.opsgate.config;

import java.util.Map;

/**
 * The {@link ConfigOrigin}s of the values of one config record that another package validates, by key relative to
 * the record (e.g. {@code title}, {@code matchers[1]}, or an http_sd parameter name such as {@code tag_regex.team}).
 *
 * @param self where the record itself is; what {@link #of(String)} returns for a key it does not know
 */
public record Origins(ConfigOrigin self, Map<String, ConfigOrigin> keys) {
    public static final Origins NONE = new Origins(ConfigOrigin.NONE, Map.of());

    public Origins {
        keys = Map.copyOf(keys);
    }

    public ConfigOrigin of(String key) {
        return keys.getOrDefault(key, self);
    }
}
