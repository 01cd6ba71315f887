package io.opsgate.http;

import io.opsgate.config.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Optional credentials for an endpoint that Prometheus or Alertmanager calls (http_sd, the alert webhook), checked
 * the way their {@code http_config} sends them:
 * {@code basic_auth} (Authorization: Basic) and {@code authorization}/{@code bearer_token} (Authorization: Bearer,
 * or the bare token, which is what http_sd_config sends when {@code authorization.type} is left out).
 * When both are configured either is accepted. Secrets are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken reveals neither content nor length.
 *
 * @param username basic auth user, or null when basic auth is off
 * @param password basic auth password (set exactly when username is)
 * @param bearerToken bearer token, or null when bearer auth is off
 */
public record RequestAuth(String username, String password, String bearerToken) {
    public static final RequestAuth NONE = new RequestAuth(null, null, null);
    private static final String REALM = " realm=\"opsgate\"";

    /** The checker for credentials read from config ({@code alerts.auth}, {@code discovery.auth}, ...). */
    public static RequestAuth of(AuthConfig config) {
        return config.enabled() ? new RequestAuth(config.username(), config.password(), config.bearerToken()) : NONE;
    }

    public boolean enabled() {
        return username != null || bearerToken != null;
    }

    public boolean accepts(String authorization) {
        if (!enabled()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        // Prometheus's http_sd_config sends `authorization: {credentials: x}` without the default "Bearer " prefix
        // (prometheus/docs#2377): the bare token is what users' configs send, so it is accepted too.
        boolean bareToken = bearerToken != null && same(authorization, bearerToken);
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return bareToken;
        }
        String scheme = authorization.substring(0, space);
        String credentials = authorization.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic") && username != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return false;
            }
            // Both halves are always compared, so a right user name with a wrong password takes as long as neither.
            boolean user = same(decoded.substring(0, colon), username);
            boolean pass = same(decoded.substring(colon + 1), password);
            return user & pass;
        }
        if (scheme.equalsIgnoreCase("Bearer") && bearerToken != null) {
            return same(credentials, bearerToken);
        }
        return bareToken;
    }

    /** The {@code WWW-Authenticate} challenges of a 401, one per scheme configured. */
    public List<String> challenges() {
        List<String> out = new ArrayList<>(2);
        if (username != null) {
            out.add("Basic" + REALM + ", charset=\"UTF-8\"");
        }
        if (bearerToken != null) {
            out.add("Bearer" + REALM);
        }
        return out;
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "RequestAuth[username=" + username + ", password=" + (password == null ? null : "***")
                + ", bearerToken=" + (bearerToken == null ? null : "***") + "]";
    }
}
