package io.opsgate.alerts.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's alert fingerprint (prometheus/common model.LabelSet.Fingerprint: FNV-1a 64 over the sorted label
 * names and values, each followed by the 0xff separator), for webhooks from releases that do not send it, so that
 * their copies still dedupe against those from newer peers.
 */
final class Fingerprints {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final byte SEPARATOR = (byte) 0xff;

    private Fingerprints() {
    }

    static String of(Map<String, String> labels) {
        long hash = OFFSET;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            hash = add(hash, e.getKey().getBytes(StandardCharsets.UTF_8));
            hash = add(hash, new byte[] {SEPARATOR});
            hash = add(hash, e.getValue().getBytes(StandardCharsets.UTF_8));
            hash = add(hash, new byte[] {SEPARATOR});
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= PRIME;
        }
        return hash;
    }
}
