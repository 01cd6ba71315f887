package io.opsgate.sim;

import java.util.List;

/**
 * One simulated Route 53 health check (global: one list per account). Its status is a pure function of time
 * ({@link #healthyAt}, {@link #checkerHealthyAt}), so GetHealthCheckStatus and the AWS/Route53 HealthCheckStatus
 * metric always agree.
 *
 * @param type     HTTP, HTTPS, HTTPS_STR_MATCH or TCP
 * @param fqdn     the domain name probed, or null when the check probes {@code ipAddress} only
 * @param checkers the Route 53 regions whose checkers probe it
 * @param tags     served by ListTagsForResources only, as in Route 53 (the console's "name" is the Name tag)
 */
public record SimHealthCheck(String id, String callerReference, String type, String fqdn, String ipAddress, int port,
        String resourcePath, List<String> checkers, Behaviour behaviour, java.util.Map<String, String> tags) {

    /** Route 53's default checker regions. */
    public static final List<String> CHECKER_REGIONS = List.of("us-east-1", "us-west-1", "us-west-2", "eu-west-1",
            "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1");
    /** A flapping check is healthy for this long, then failing for as long, from the epoch on. */
    public static final long FLAP_SECONDS = 300;

    public enum Behaviour {
        HEALTHY,
        /** Every checker fails. */
        FAILING,
        /** Healthy for {@link #FLAP_SECONDS}, then failing for as long, and again. */
        FLAPPING,
        /** The checkers of two regions fail; the rest succeed, so Route 53 still calls it healthy (> 18 %). */
        PARTIAL
    }

    public SimHealthCheck {
        checkers = List.copyOf(checkers);
        tags = java.util.Map.copyOf(tags);
    }

    /** Route 53's verdict at this epoch second: more than 18 % of the checkers report success. */
    public boolean healthyAt(long epochSecond) {
        long up = checkers.stream().filter(r -> checkerHealthyAt(r, epochSecond)).count();
        return up > 0.18 * checkers.size();
    }

    public boolean checkerHealthyAt(String region, long epochSecond) {
        return switch (behaviour) {
            case HEALTHY -> true;
            case FAILING -> false;
            case FLAPPING -> Math.floorMod(epochSecond / FLAP_SECONDS, 2) == 0;
            case PARTIAL -> checkers.indexOf(region) >= 2;
        };
    }
}
