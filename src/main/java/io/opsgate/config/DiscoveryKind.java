package io.opsgate.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of http_sd target lists OpsGate serves; {@link #key()} is the path segment ({@code /sd/<key>}) and the
 * name used in config. What each kind selects and how it is addressed is {@code io.opsgate.discovery}'s business.
 */
public enum DiscoveryKind {
    /** EC2 instances, labelled exactly like Prometheus's ec2_sd_config. */
    EC2("ec2"),
    /** RDS DB instances at their endpoint address and port. */
    RDS("rds"),
    /** Targets registered in ELBv2 target groups, with their health. */
    ELBV2_TARGETS("elbv2-targets");

    private final String key;

    DiscoveryKind(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<DiscoveryKind> fromKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(DiscoveryKind::key).toList();
    }
}
