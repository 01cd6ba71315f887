package io.opsgate.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Temporary credentials issued by AssumeRole. The account id is encoded in the key itself
 * ({@code ASIA} + 12-digit account + 4 characters) so that attribution survives even if the simulator
 * restarts between AssumeRole and the calls made with its credentials.
 */
final class AccessKeys {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /** Who a key was issued to, for GetCallerIdentity. */
    record Session(String accountId, String roleName, String sessionName, String roleId) {
    }

    private final long seed;
    private final String defaultAccountId;
    private final AtomicLong issued = new AtomicLong();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    AccessKeys(long seed, String defaultAccountId) {
        this.seed = seed;
        this.defaultAccountId = defaultAccountId;
    }

    String defaultAccountId() {
        return defaultAccountId;
    }

    /** The account a request signed with this key belongs to. */
    String accountOf(String accessKeyId) {
        if (accessKeyId != null && accessKeyId.length() == 20 && accessKeyId.startsWith("ASIA")) {
            String account = accessKeyId.substring(4, 16);
            if (account.chars().allMatch(Character::isDigit)) {
                return account;
            }
        }
        return defaultAccountId;
    }

    Session sessionOf(String accessKeyId) {
        return accessKeyId == null ? null : sessions.get(accessKeyId);
    }

    String issue(Session session) {
        long n = issued.incrementAndGet();
        String key = "ASIA" + session.accountId() + token(Hashing.mix(seed, n), 4);
        sessions.put(key, session);
        return key;
    }

    /** Derived from the key so a concurrent AssumeRole cannot hand out another key's secret. */
    String secret(String accessKeyId) {
        return token(Hashing.mix(seed ^ 0x5ec4e7L, accessKeyId), 40);
    }

    /** A base-32 string of the given length derived from a hash. */
    static String token(long hash, int length) {
        StringBuilder sb = new StringBuilder(length);
        long h = hash;
        for (int i = 0; i < length; i++) {
            if (i % 12 == 11) {
                h = Hashing.mix(h);
            }
            sb.append(ALPHABET.charAt((int) (h & 31)));
            h >>>= 5;
        }
        return sb.toString();
    }
}
