package io.opsgate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an {@code auth} mapping, the same shape for every endpoint that takes credentials ({@code alerts.auth},
 * {@code discovery.auth}): {@code bearer_token} or {@code bearer_token_file}, and {@code basic_auth} with
 * {@code username} and {@code password} or {@code password_file}, as Prometheus's and Alertmanager's
 * {@code http_config} name them. A blank token is refused: it would let {@code Authorization: Bearer } in.
 */
final class AuthSection {
    static final List<String> KEYS = List.of("bearer_token", "bearer_token_file", "basic_auth");
    static final List<String> BASIC_KEYS = List.of("username", "password", "password_file");
    /** discovery.auth's flat form before 0.2 ({@code username}, {@code password} beside {@code bearer_token}). */
    private static final List<String> FLAT_BASIC_KEYS = BASIC_KEYS;

    private AuthSection() {
    }

    /**
     * @param parent    the section holding {@code auth}
     * @param acceptFlat whether the deprecated flat {@code username}/{@code password} keys are still read (with a
     *                   warning)
     */
    static AuthConfig read(ConfigMap parent, boolean acceptFlat) throws ConfigException {
        return read(parent, "auth", acceptFlat);
    }

    /** The same shape under another key, such as {@code server.metrics_auth}. */
    static AuthConfig read(ConfigMap parent, String key, boolean acceptFlat) throws ConfigException {
        List<String> keys = new ArrayList<>(KEYS);
        if (acceptFlat) {
            keys.addAll(FLAT_BASIC_KEYS);
        }
        ConfigMap auth = parent.section(key, keys);
        String section = auth.node().path();
        String bearer = SecretValues.read(auth, "bearer_token");
        if (bearer != null && bearer.isBlank()) {
            throw SecretValues.source(auth, "bearer_token").error(
                    "is blank; leave " + section + ".bearer_token out to accept requests without a token");
        }
        ConfigMap basic = auth.section("basic_auth", BASIC_KEYS);
        if (acceptFlat && (auth.find("username") != null || SecretValues.source(auth, "password") != null)) {
            if (auth.find("basic_auth") != null) {
                throw auth.find("basic_auth").error("set basic_auth or the deprecated username/password keys beside"
                        + " it, not both");
            }
            ConfigNode first = auth.find("username") != null ? auth.find("username") : SecretValues.source(auth, "password");
            first.context().warnings().add(first.origin().error("deprecated: write " + section
                    + ".basic_auth: {username: ..., password: ...} (the shape alerts.auth uses); the flat keys will"
                    + " be removed").getMessage());
            basic = auth;
        }
        ConfigNode usernameNode = basic.find("username");
        String username = usernameNode == null ? null : usernameNode.text();
        String password = SecretValues.read(basic, "password");
        String basicPath = basic.node().path();
        if (username == null && password != null) {
            throw SecretValues.source(basic, "password").error("needs " + basicPath + ".username as well");
        }
        if (username != null && password == null) {
            throw usernameNode.error("needs " + basicPath + ".password or password_file as well");
        }
        return new AuthConfig(username, password, bearer);
    }
}
