package io.opsgate.config;

/**
 * Credentials an endpoint requires (the alert webhook, http_sd, the API), read from one YAML shape everywhere:
 * {@code auth: {bearer_token[_file], basic_auth: {username, password[_file]}}}, the shape of the
 * {@code http_config} Prometheus and Alertmanager send them with. {@code io.opsgate.http.RequestAuth} checks
 * requests against it.
 *
 * @param username    basic auth user, or null when basic auth is off
 * @param password    basic auth password (set exactly when username is)
 * @param bearerToken bearer token (never blank), or null when bearer auth is off
 */
public record AuthConfig(String username, String password, String bearerToken) {
    public static final AuthConfig NONE = new AuthConfig(null, null, null);

    public boolean enabled() {
        return username != null || bearerToken != null;
    }

    @Override
    public String toString() {
        return "AuthConfig[username=" + username + ", password=" + (password == null ? null : "***")
                + ", bearerToken=" + (bearerToken == null ? null : "***") + "]";
    }
}
