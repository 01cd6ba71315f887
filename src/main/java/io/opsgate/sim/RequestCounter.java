package io.opsgate.sim;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests seen per (service, operation), faulted and rejected ones included, with how many are in flight (from
 * arrival until the reply is written or the client goes away, so the configured latency counts) and the most that
 * were in flight at once since the last reset.
 */
final class RequestCounter {

    /** Service name used when a request names no service the simulator knows. */
    static final String UNKNOWN_SERVICE = "unknown";

    /** One (service, operation) pair's figures at one moment. */
    record Stats(long count, long inFlight, long maxInFlight) {
    }

    private record Key(String service, String operation) {
    }

    private static final class Entry {
        final LongAdder count = new LongAdder();
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong maxInFlight = new AtomicLong();

        void begin() {
            count.increment();
            long now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
        }

        void end() {
            inFlight.decrementAndGet();
        }
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Counts one request of an awsQuery-style service and tracks it until its response ends or its connection closes.
     * The service comes from the SigV4 credential scope when it names one we know, else from the API version.
     */
    void track(HttpServerRequest req, QueryParams params, String action) {
        track(req, service(req.getHeader("Authorization"), params.get("Version")), action);
    }

    /** Counts one request of a known service (e.g. a CBOR one routed by its path) and tracks it until it ends. */
    void track(HttpServerRequest req, String service, String operation) {
        Entry entry = entry(service, operation);
        entry.begin();
        AtomicBoolean done = new AtomicBoolean();
        Runnable end = () -> {
            if (done.compareAndSet(false, true)) {
                entry.end();
            }
        };
        req.response().endHandler(v -> end.run());
        req.response().closeHandler(v -> end.run());
    }

    /**
     * Counts one request without tracking it in flight: for a second, independent tally of requests another counter
     * already tracks (a response has one end handler, so only one counter may track it).
     */
    void countOnly(String service, String operation) {
        entry(service, operation).count.increment();
    }

    private Entry entry(String service, String operation) {
        return entries.computeIfAbsent(new Key(service == null ? UNKNOWN_SERVICE : service,
                operation == null ? "Unknown" : operation), k -> new Entry());
    }

    /** The simulator's name of the service a request is for: ec2, cloudwatch, sts, rds, elbv2 or unknown. */
    static String service(String authorization, String version) {
        String scopeService = null;
        try {
            CredentialScope scope = CredentialScope.parse(authorization);
            scopeService = scope == null ? null : scope.service();
        } catch (AwsError malformed) {
            // The dispatcher answers the malformed header; here the version alone decides.
        }
        AwsProtocol protocol = AwsProtocol.resolve(scopeService, version);
        return protocol == null ? UNKNOWN_SERVICE : protocol.name().toLowerCase(Locale.ROOT);
    }

    /** Requests of one operation, whichever service it belongs to. */
    long count(String operation) {
        long n = 0;
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            if (e.getKey().operation().equals(operation)) {
                n += e.getValue().count.sum();
            }
        }
        return n;
    }

    /** Requests per operation, services merged; operations never seen are absent. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        entries.forEach((key, entry) -> {
            long n = entry.count.sum();
            if (n > 0) {
                out.merge(key.operation(), n, Long::sum);
            }
        });
        return Map.copyOf(out);
    }

    /** Figures per service, then per operation, both sorted by name. */
    Map<String, Map<String, Stats>> byService() {
        Map<String, Map<String, Stats>> out = new TreeMap<>();
        entries.forEach((key, entry) -> {
            Stats stats = new Stats(entry.count.sum(), entry.inFlight.get(), entry.maxInFlight.get());
            if (stats.count() > 0 || stats.inFlight() > 0) {
                out.computeIfAbsent(key.service(), s -> new TreeMap<>()).put(key.operation(), stats);
            }
        });
        return out;
    }

    /** The most requests of one operation that were in flight at once since the last reset. */
    long maxInFlight(String operation) {
        long max = 0;
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            if (e.getKey().operation().equals(operation)) {
                max = Math.max(max, e.getValue().maxInFlight.get());
            }
        }
        return max;
    }

    /** Zeroes the counts; the maxima restart from what is in flight now (those requests still end later). */
    void reset() {
        for (Entry entry : entries.values()) {
            entry.count.reset();
            entry.maxInFlight.set(entry.inFlight.get());
        }
    }
}
