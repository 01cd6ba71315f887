package io.opsgate.sim;

import java.time.Instant;

/** A scheduled event as DescribeInstanceStatus reports it (code e.g. instance-reboot, system-maintenance). */
public record SimEvent(String id, String code, String description, Instant notBefore, Instant notAfter) {
}
