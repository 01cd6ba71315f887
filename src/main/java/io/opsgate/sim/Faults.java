package io.opsgate.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, Duration> operationLatency = new ConcurrentHashMap<>();
    private volatile double throttleRate;
    private volatile double serverErrorRate;
    private volatile java.util.Set<String> throttledOperations = java.util.Set.of();
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> held = new ConcurrentHashMap<>();

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

    /** The latency of one operation: its own if set, else the common one. */
    public Duration latencyFor(String operation) {
        Duration own = operation == null ? null : operationLatency.get(operation);
        return own != null ? own : latency;
    }

    /** Operations with a latency of their own, by name. */
    public Map<String, Duration> getOperationLatencies() {
        return Map.copyOf(new TreeMap<>(operationLatency));
    }

    /** Replaces every per-operation latency (e.g. only GetMetricData slow); the common latency applies to the rest. */
    public void setOperationLatencies(Map<String, Duration> latencies) {
        latencies.forEach((op, d) -> {
            Objects.requireNonNull(op, "operation");
            Objects.requireNonNull(d, "latency");
            if (d.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
        });
        operationLatency.clear();
        operationLatency.putAll(latencies);
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

    /** Operations answered with their service's throttling error every time (e.g. ListServiceQuotas alone). */
    public java.util.Set<String> getThrottledOperations() {
        return throttledOperations;
    }

    public void setThrottledOperations(java.util.Set<String> operations) {
        throttledOperations = java.util.Set.copyOf(operations);
    }

    boolean throttles(String operation) {
        return operation != null && throttledOperations.contains(operation);
    }

    /**
     * Holds every request of a query-protocol operation (EC2, ELBv2, RDS, STS...) or of CloudWatch, unanswered, until
     * {@link #release(String)}: an API as slow as a test needs, without timing. Requests are counted when they arrive.
     */
    public void hold(String operation) {
        held.putIfAbsent(Objects.requireNonNull(operation, "operation"), new java.util.concurrent.CompletableFuture<>());
    }

    /** Answers the requests held for the operation (then its latency applies) and stops holding new ones. */
    public void release(String operation) {
        java.util.concurrent.CompletableFuture<Void> gate = held.remove(operation);
        if (gate != null) {
            gate.complete(null);
        }
    }

    /** Completes when requests of the operation may be answered; null when it is not held. */
    java.util.concurrent.CompletableFuture<Void> gate(String operation) {
        return operation == null ? null : held.get(operation);
    }

    /** Clears every fault: no latency, no throttling, no server errors, nothing held. */
    public void clear() {
        java.util.List.copyOf(held.keySet()).forEach(this::release);
        throttledOperations = java.util.Set.of();
        latency = Duration.ZERO;
        operationLatency.clear();
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
