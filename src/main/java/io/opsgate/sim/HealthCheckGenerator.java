package io.opsgate.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Route 53 health checks of an account, derived from (seed, account) alone. The first four are pinned: a healthy
 * HTTPS check, a failing HTTP check, a flapping one and one failing from two checker regions only; of the others about
 * one in twenty fails.
 */
final class HealthCheckGenerator {
    private static final String[] TYPES = {"HTTPS", "HTTP", "HTTPS_STR_MATCH", "TCP"};
    private static final String[] SERVICES = {"api", "www", "checkout", "search", "auth", "cdn", "admin", "status"};

    private final long seed;
    private final int perAccount;

    HealthCheckGenerator(long seed, int perAccount) {
        this.seed = seed;
        this.perAccount = perAccount;
    }

    List<SimHealthCheck> generate(String accountId) {
        long base = Hashing.mix(seed ^ 0x53c4ec4L, accountId);
        List<SimHealthCheck> out = new ArrayList<>(perAccount);
        for (int i = 0; i < perAccount; i++) {
            long h = Hashing.mix(base, "hc" + i);
            String hex = String.format("%016x%016x", Hashing.mix(h, 1), Hashing.mix(h, 2));
            String id = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-4" + hex.substring(13, 16) + "-a"
                    + hex.substring(17, 20) + "-" + hex.substring(20, 32);
            SimHealthCheck.Behaviour behaviour = switch (i) {
                case 0 -> SimHealthCheck.Behaviour.HEALTHY;
                case 1 -> SimHealthCheck.Behaviour.FAILING;
                case 2 -> SimHealthCheck.Behaviour.FLAPPING;
                case 3 -> SimHealthCheck.Behaviour.PARTIAL;
                default -> Hashing.unit(Hashing.mix(h, 3)) < 0.05 ? SimHealthCheck.Behaviour.FAILING
                        : SimHealthCheck.Behaviour.HEALTHY;
            };
            String type = i == 0 ? "HTTPS" : i == 1 ? "HTTP" : TYPES[(int) Long.remainderUnsigned(h >>> 8, TYPES.length)];
            String service = SERVICES[(int) Long.remainderUnsigned(h >>> 16, SERVICES.length)];
            boolean byName = i != 3 && Hashing.unit(Hashing.mix(h, 4)) < 0.8;
            String fqdn = byName ? service + (i == 0 ? "" : "-" + i) + ".example.com" : null;
            String ip = "198.51." + (i / 250 % 250) + "." + (i % 250 + 1);
            int port = type.startsWith("HTTPS") ? 443 : type.equals("TCP") ? 5432 : 80;
            String path = type.equals("TCP") ? null : "/healthz";
            // Check 3 has no tags at all; the others a Name (the console's name column) and a Service.
            Map<String, String> tags = i == 3 ? Map.of()
                    : Map.of("Name", service + "-" + i + "-" + type.toLowerCase(java.util.Locale.ROOT), "Service", service);
            out.add(new SimHealthCheck(id, "opsgate-sim-" + i, type, fqdn, byName ? null : ip, port, path,
                    SimHealthCheck.CHECKER_REGIONS, behaviour, tags));
        }
        return List.copyOf(out);
    }
}
