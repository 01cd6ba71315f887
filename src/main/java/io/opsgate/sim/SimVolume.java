package io.opsgate.sim;

import java.time.Instant;
import java.util.Map;

/**
 * The static facts of one simulated EBS volume. {@code iops} and {@code throughput} are null where AWS omits
 * them (throughput exists only for gp3; iops not for standard/st1/sc1).
 */
public record SimVolume(String id, String volumeType, String state, int sizeGiB, Integer iops, Integer throughput,
        String availabilityZone, String attachedInstanceId, String device, Instant createTime, boolean encrypted,
        Map<String, String> tags) {

    public boolean attached() {
        return attachedInstanceId != null;
    }

    /** Only these types report BurstBalance (gp3, io1, io2 have no burst bucket; standard has none either). */
    public boolean burstCapable() {
        return volumeType.equals("gp2") || volumeType.equals("st1") || volumeType.equals("sc1");
    }

    /** AWS/EBS BurstBalance exists only for burst-capable volumes while they are attached. */
    public boolean reportsBurstBalance() {
        return burstCapable() && "in-use".equals(state);
    }
}
