package io.opsgate.alerts.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of the generic webhook, for receivers to check that a request comes from us and is fresh.
 *
 * <p>We send {@code X-OpsGate-Timestamp: <unix seconds>} and
 * {@code X-OpsGate-Signature: sha256=<lowercase hex HMAC-SHA256(secret, timestamp + "." + raw body)>}. The timestamp
 * is inside the signed text so that an attacker who captured a request cannot replay it later with a fresh
 * timestamp. To verify: recompute the HMAC over the header's timestamp, a dot and the exact body bytes, compare in
 * constant time (e.g. {@code hmac.compare_digest} in Python, {@code MessageDigest.isEqual} in Java), and reject
 * timestamps more than a few minutes from your clock. Our retries are new requests with new timestamps; deduplicate
 * them by the body's {@code id}.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-OpsGate-Signature";
    public static final String TIMESTAMP_HEADER = "X-OpsGate-Timestamp";
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    /** The {@code X-OpsGate-Signature} value for {@code body} sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        Mac mac;
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
        mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
