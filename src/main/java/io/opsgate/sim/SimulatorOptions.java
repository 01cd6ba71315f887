package io.opsgate.sim;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Start-up settings of the {@link AwsSimulator}. Latency and fault rates are only the initial values:
 * they can be changed at runtime through {@link AwsSimulator#faults()}.
 */
public record SimulatorOptions(String host, int port, long seed, String defaultAccountId,
        int volumesPerRegion, int instancesPerRegion, Duration latency, double throttleRate,
        double serverErrorRate, Clock clock) {

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
        if (volumesPerRegion < 0 || instancesPerRegion < 0) {
            throw new IllegalArgumentException("fleet sizes must be >= 0");
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        Faults.checkRate(throttleRate);
        Faults.checkRate(serverErrorRate);
    }

    public static SimulatorOptions defaults() {
        return new SimulatorOptions("127.0.0.1", 0, 42L, "123456789012", 40, 20,
                Duration.ZERO, 0.0, 0.0, Clock.systemUTC());
    }

    public SimulatorOptions withHost(String host) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withPort(int port) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withSeed(long seed) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withDefaultAccountId(String defaultAccountId) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withFleetSize(int volumesPerRegion, int instancesPerRegion) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withLatency(Duration latency) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withThrottleRate(double throttleRate) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withServerErrorRate(double serverErrorRate) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }

    public SimulatorOptions withClock(Clock clock) {
        return new SimulatorOptions(host, port, seed, defaultAccountId, volumesPerRegion, instancesPerRegion,
                latency, throttleRate, serverErrorRate, clock);
    }
}
