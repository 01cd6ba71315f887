package io.opsgate.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection settings, changeable while the simulator runs. Whether a given request is faulted is
 * decided from (seed, request sequence number), so a run with the same request order faults the same requests.
 */
public final class Faults {

    /** What the dispatcher should do with one request. */
    enum Outcome { PASS, THROTTLE, SERVER_ERROR }

    private final long seed;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Duration latency;
    private volatile double throttleRate;
    private volatile double serverErrorRate;

    Faults(long seed, Duration latency, double throttleRate, double serverErrorRate) {
        this.seed = seed;
        setLatency(latency);
        setThrottleRate(throttleRate);
        setServerErrorRate(serverErrorRate);
    }

    public Duration getLatency() {
        return latency;
    }

    public void setLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
    }

    public double getThrottleRate() {
        return throttleRate;
    }

    /** Fraction (0..1) of requests answered with the service's throttling error. */
    public void setThrottleRate(double throttleRate) {
        this.throttleRate = checkRate(throttleRate);
    }

    public double getServerErrorRate() {
        return serverErrorRate;
    }

    /** Fraction (0..1) of requests answered with HTTP 500. */
    public void setServerErrorRate(double serverErrorRate) {
        this.serverErrorRate = checkRate(serverErrorRate);
    }

    /** Clears every fault: no latency, no throttling, no server errors. */
    public void clear() {
        latency = Duration.ZERO;
        throttleRate = 0.0;
        serverErrorRate = 0.0;
    }

    Outcome next() {
        double throttle = throttleRate;
        double error = serverErrorRate;
        if (throttle <= 0.0 && error <= 0.0) {
            return Outcome.PASS;
        }
        double u = Hashing.unit(Hashing.mix(seed, sequence.getAndIncrement()));
        if (u < throttle) {
            return Outcome.THROTTLE;
        }
        if (u < throttle + error) {
            return Outcome.SERVER_ERROR;
        }
        return Outcome.PASS;
    }

    static double checkRate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be within 0..1: " + rate);
        }
        return rate;
    }
}
