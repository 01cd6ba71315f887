package io.opsgate.sim;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Start-up settings of the {@link AwsSimulator}. Latency and fault rates are only the initial values:
 * they can be changed at runtime through {@link AwsSimulator#faults()} or the admin API ({@link SimulatorAdmin}).
 */
public record SimulatorOptions(String host, int port, long seed, String defaultAccountId,
        int volumesPerRegion, int instancesPerRegion, Duration latency, double throttleRate,
        double serverErrorRate, Clock clock, String adminHost, int adminPort, int quotasPerRegion,
        int healthChecksPerAccount, int targetsPerGroup) {

    /** Route 53 health checks per account unless {@link #withHealthChecksPerAccount} says otherwise. */
    public static final int DEFAULT_HEALTH_CHECKS = 12;

    /** {@link #adminPort()} value that leaves the admin API off. */
    public static final int ADMIN_OFF = -1;

    public SimulatorOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(defaultAccountId, "defaultAccountId");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(clock, "clock");
        if (!defaultAccountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("defaultAccountId must be 12 digits: " + defaultAccountId);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(adminHost, "adminHost");
        if (adminPort < ADMIN_OFF || adminPort > 65535) {
            throw new IllegalArgumentException("admin port out of range: " + adminPort);
        }
        if (volumesPerRegion < 0 || instancesPerRegion < 0) {
            throw new IllegalArgumentException("fleet sizes must be >= 0");
        }
        if (healthChecksPerAccount < 0) {
            throw new IllegalArgumentException("healthChecksPerAccount must be >= 0");
        }
        if (targetsPerGroup < 0) {
            throw new IllegalArgumentException("targetsPerGroup must be >= 0");
        }
        if (quotasPerRegion < 0) {
            throw new IllegalArgumentException("quotasPerRegion must be >= 0");
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        Faults.checkRate(throttleRate);
        Faults.checkRate(serverErrorRate);
    }

    public static SimulatorOptions defaults() {
        return new SimulatorOptions("127.0.0.1", 0, 42L, "123456789012", 40, 20,
                Duration.ZERO, 0.0, 0.0, Clock.systemUTC(), "127.0.0.1", ADMIN_OFF, 0, DEFAULT_HEALTH_CHECKS, 0);
    }

    public SimulatorOptions withHost(String host) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withPort(int port) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withSeed(long seed) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withDefaultAccountId(String defaultAccountId) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withFleetSize(int volumesPerRegion, int instancesPerRegion) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withLatency(Duration latency) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withThrottleRate(double throttleRate) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withServerErrorRate(double serverErrorRate) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    public SimulatorOptions withClock(Clock clock) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    /**
     * Serves the admin API (request counts, faults, burst balance overrides) on its own address; port 0 picks a free
     * one, {@link #ADMIN_OFF} turns it off.
     */
    public SimulatorOptions withAdmin(String adminHost, int adminPort) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    /**
     * Lists this many Service Quotas per (account, region): the built-in real ones, then synthetic quotas with
     * AWS/Usage metrics up to the count (the benchmark's 2,000). 0 or fewer than the built-ins lists just those.
     */
    public SimulatorOptions withQuotasPerRegion(int quotasPerRegion) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    /** Route 53 health checks of each account (global, so not per region): the benchmark's 500. */
    public SimulatorOptions withHealthChecksPerAccount(int healthChecksPerAccount) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }

    /**
     * Registers this many targets in every load balancer's target group (the benchmark's 50; instances are
     * registered in several groups when there are not enough of them). 0 keeps the built-in shape: up to 40
     * instances behind an application load balancer, 4 IP targets behind a network one.
     */
    public SimulatorOptions withTargetsPerGroup(int targetsPerGroup) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock, adminHost, adminPort, quotasPerRegion,
                healthChecksPerAccount, targetsPerGroup);
    }
}
