package io.opsgate.sim;

/** One Elastic IP address (VPC domain); {@code instanceId} is null while it is not associated. */
public record SimAddress(String allocationId, String publicIp, String instanceId, String associationId,
        String privateIp) {
}
