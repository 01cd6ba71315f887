package io.opsgate.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests seen per operation name, faulted and rejected ones included. */
final class RequestCounter {

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(String operation) {
        counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    long count(String operation) {
        LongAdder adder = counts.get(operation);
        return adder == null ? 0L : adder.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((op, adder) -> {
            long n = adder.sum();
            if (n > 0) {
                out.put(op, n);
            }
        });
        return Map.copyOf(out);
    }

    void reset() {
        counts.clear();
    }
}
