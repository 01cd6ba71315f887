package io.opsgate.discovery;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of http_sd target lists OpsGate serves; {@link #key()} is the path segment ({@code /sd/<key>}) and the
 * name used in config. Each kind names the query parameters that filter on its own attributes.
 */
public enum DiscoveryKind {
    /** EC2 instances, labelled exactly like Prometheus's ec2_sd_config. */
    EC2("ec2", 80, List.of("instance_type")),
    /** RDS DB instances at their endpoint address and port. */
    RDS("rds", 0, List.of("engine", "instance_class")),
    /** Targets registered in ELBv2 target groups, with their health. */
    ELBV2_TARGETS("elbv2-targets", 0, List.of("target_group", "load_balancer"));

    private final String key;
    private final int defaultPort;
    private final List<String> attributeFilters;

    DiscoveryKind(String key, int defaultPort, List<String> attributeFilters) {
        this.key = key;
        this.defaultPort = defaultPort;
        this.attributeFilters = attributeFilters;
    }

    public String key() {
        return key;
    }

    /** The port of {@code __address__} when none is asked for; 0 means the resource's own port. */
    int defaultPort() {
        return defaultPort;
    }

    /** Attribute names this kind filters on besides {@code state}, {@code account} and {@code region}. */
    List<String> attributeFilters() {
        return attributeFilters;
    }

    /** EC2 and RDS carry tags; ELBv2 targets are not tagged (tags live on the group and balancer). */
    boolean tagged() {
        return this != ELBV2_TARGETS;
    }

    public static Optional<DiscoveryKind> fromKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(DiscoveryKind::key).toList();
    }
}
