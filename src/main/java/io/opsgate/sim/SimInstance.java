package io.opsgate.sim;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The static facts of one simulated EC2 instance. {@code creditMode} is "standard" or "unlimited" for burstable
 * types and null otherwise. Status values are DescribeInstanceStatus's ("ok", "impaired"); stopped instances
 * report "not-applicable" on the wire whatever these fields say.
 */
public record SimInstance(String id, String instanceType, String state, String availabilityZone, String privateIp,
        String vpcId, String subnetId, String imageId, String architecture, Instant launchTime, String creditMode,
        Map<String, String> tags, String systemStatus, String instanceStatus, String attachedEbsStatus,
        List<SimEvent> events, List<String> volumeIds) {

    public boolean burstable() {
        return InstanceTypes.burstable(instanceType);
    }

    public boolean running() {
        return "running".equals(state);
    }

    /** The AWS/EC2 CPU credit metrics exist only for burstable instances while they run. */
    public boolean reportsCreditMetrics() {
        return burstable() && running();
    }

    public int stateCode() {
        return switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            default -> 80;
        };
    }
}
