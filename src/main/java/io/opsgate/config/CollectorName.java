package io.opsgate.config;

import java.util.Arrays;
import java.util.Optional;

/** The collectors a user can switch on or off; {@link #key()} is the name used in config and in labels. */
public enum CollectorName {
    /** EBS volumes: info, size, BurstBalance for gp2/st1/sc1. */
    EBS("ebs"),
    /** EC2 instances: info, CPU credit metrics and credit specification for burstable families. */
    EC2("ec2"),
    /** EC2 status checks (system, instance, attached EBS) and scheduled events. */
    EC2_STATUS("ec2_status"),
    /** Service Quotas: limits (ListServiceQuotas, on collection.quotas.interval) and usage every cycle. */
    QUOTAS("quotas"),
    /** EBS backups: the newest completed snapshot of each volume (DescribeSnapshots, on collection.snapshots.interval). */
    SNAPSHOTS("snapshots"),
    /** Required tags (collection.required_tags) missing on volumes, instances, RDS instances and load balancers. */
    TAGS("tags"),
    /**
     * Route 53 health checks: a global service, collected once per account (by its us-east-1 target if configured,
     * else by its first region's), healthy from the AWS/Route53 HealthCheckStatus metric.
     */
    ROUTE53("route53"),
    /** ELBv2 target health (DescribeTargetGroups, DescribeTargetHealth): state per target, counts per group and LB. */
    ELBV2_TARGETS("elbv2_targets");

    private final String key;

    CollectorName(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<CollectorName> fromKey(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst();
    }
}
