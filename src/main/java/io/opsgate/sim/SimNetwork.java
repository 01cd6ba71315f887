package io.opsgate.sim;

import java.util.List;

/**
 * The networking and lifecycle facts of one simulated instance that DescribeInstances reports beyond
 * {@link SimInstance}: public address, platform, spot lifecycle and network interfaces. Null means AWS omits the
 * member (no public IP, Linux, on-demand).
 */
public record SimNetwork(String publicIp, String publicDnsName, String platform, String lifecycle,
        List<Interface> interfaces) {

    /** One attached ENI; {@code primaryIpv6} is the address flagged isPrimaryIpv6, or null. */
    public record Interface(String id, int deviceIndex, String subnetId, List<String> ipv6Addresses, String primaryIpv6) {
    }
}
