package io.opsgate.sim;

import java.util.List;
import java.util.Map;

/**
 * One simulated ELBv2 load balancer ({@code type} is application or network) and its target groups; {@code tags}
 * are served by DescribeTags only, as in AWS.
 */
public record SimLoadBalancer(String arn, String name, String dnsName, String type, String scheme, String vpcId,
        List<String> zones, List<TargetGroup> targetGroups, Map<String, String> tags) {

    /** {@code targetType} is instance or ip; for instance targets {@link Target#id()} is an instance id. */
    public record TargetGroup(String arn, String name, String protocol, int port, String targetType, String vpcId,
            List<Target> targets) {
    }

    /** A registered target and its health, as DescribeTargetHealth reports it ({@code reason} may be null). */
    public record Target(String id, int port, String availabilityZone, String state, String reason, String description) {
    }
}
