package io.opsgate.alerts.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Checks the Authorization header Alertmanager's {@code http_config} sends: {@code Bearer <token>} or
 * {@code Basic <base64(user:password)>}. Secrets are compared with {@link MessageDigest#isEqual} over digests of
 * equal length, so neither content nor length leaks through timing.
 */
public final class WebhookAuth {
    private final byte[] bearerDigest;
    private final byte[] basicDigest;

    /** Any argument may be null; with no credentials configured every request passes. */
    public WebhookAuth(String bearerToken, String basicUsername, String basicPassword) {
        this.bearerDigest = bearerToken == null ? null : sha256(bearerToken);
        this.basicDigest = basicUsername == null ? null : sha256(basicUsername + ":" + basicPassword);
    }

    public boolean required() {
        return bearerDigest != null || basicDigest != null;
    }

    public boolean allows(String authorization) {
        if (!required()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = authorization.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = authorization.substring(space + 1).trim();
        if (scheme.equals("bearer") && bearerDigest != null) {
            return MessageDigest.isEqual(bearerDigest, sha256(credentials));
        }
        if (scheme.equals("basic") && basicDigest != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(basicDigest, sha256(decoded));
        }
        return false;
    }

    /** The WWW-Authenticate challenges of a 401, one per accepted scheme. */
    public List<String> challenges() {
        List<String> result = new ArrayList<>();
        if (bearerDigest != null) {
            result.add("Bearer realm=\"opsgate\"");
        }
        if (basicDigest != null) {
            result.add("Basic realm=\"opsgate\", charset=\"UTF-8\"");
        }
        return result;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
