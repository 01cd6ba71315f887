package io.opsgate.sim;

import java.util.Map;

/** One simulated RDS DB instance, as DescribeDBInstances reports it. */
public record SimDatabase(String identifier, String resourceId, String arn, String engine, String engineVersion,
        String instanceClass, String status, String address, int port, String availabilityZone, boolean multiAz,
        String vpcId, Map<String, String> tags) {
}
