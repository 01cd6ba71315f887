package io.opsgate.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load of the alert-gateway benchmarks ({@link AlertIngestBenchmark}, {@link ReplicaIngestBench}): webhooks of
 * {@code alertsPerRequest} new alerts of one alertname each (one group, one notification), posted in a closed loop
 * (each connection sends its next webhook when the last is answered: saturation) or an open loop (at a fixed rate
 * whatever the answers, as Alertmanager sends: service latency at that load), and the sink that the gateways
 * deliver to, which counts deliveries per webhook and times them from the moment the webhook was due.
 */
final class WebhookLoad {
    private static final Pattern FIRST_FINGERPRINT = Pattern.compile("\"fingerprint\"\\s*:\\s*\"r(\\d+)-0\"");
    private static final Pattern ATTEMPT = Pattern.compile("\"attempt\"\\s*:\\s*(\\d+)");

    private final int alertsPerRequest;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final LongList deliveryNanos = new LongList();
    /** Deliveries that said they are a re-send ({@code attempt > 0}: the same key after an ambiguous outcome). */
    private final AtomicLong resends = new AtomicLong();

    WebhookLoad(int alertsPerRequest) {
        this.alertsPerRequest = alertsPerRequest;
    }

    /** The webhooks one measurement posted: their latencies sorted, failures, duration, and the ids answered 200. */
    record Load(long[] latencies, long errors, long elapsedNanos, Set<Long> accepted, long posted) {
        double rps() {
            return latencies.length / (elapsedNanos / 1e9);
        }

        double percentile(double p) {
            return pct(latencies, p);
        }
    }

    /** One place a webhook goes to (one POST); a webhook with several targets goes to all at once. */
    record Target(int port) {
    }

    /** Starts the sink on {@code vertx}; returns its port. */
    int startSink(Vertx vertx) {
        HttpServer sink = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            long now = System.nanoTime();
            String text = body.toString();
            Matcher attempt = ATTEMPT.matcher(text);
            if (attempt.find() && !attempt.group(1).equals("0")) {
                resends.incrementAndGet();
            }
            Matcher m = FIRST_FINGERPRINT.matcher(text);
            if (m.find()) {
                long id = Long.parseLong(m.group(1));
                if (deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
                    Long sent = sentAt.get(id);
                    if (sent != null) {
                        deliveryNanos.add(now - sent);
                    }
                }
            }
            req.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").await();
        return sink.actualPort();
    }

    /** Forgets what the sink saw: the next measurement starts from nothing. */
    void resetSink() {
        sentAt.clear();
        deliveries.clear();
        deliveryNanos.drain();
        resends.set(0);
    }

    /** The delivery latencies since the last reset, sorted. */
    long[] deliveryLatencies() {
        long[] d = deliveryNanos.drain();
        Arrays.sort(d);
        return d;
    }

    /** Whether every one of these webhooks reached the sink at least once. */
    boolean allDelivered(Set<Long> accepted) {
        return deliveries.keySet().containsAll(accepted);
    }

    /**
     * Of these webhooks: how many reached the sink, how many extra deliveries (duplicates) all ids got, and how
     * many deliveries were re-sends that said so ({@code attempt > 0}, same idempotency key).
     */
    long[] delivered(Set<Long> accepted) {
        long delivered = accepted.stream().filter(deliveries::containsKey).count();
        long duplicates = deliveries.values().stream().mapToLong(n -> Math.max(0, n.get() - 1)).sum();
        return new long[] {delivered, duplicates, resends.get()};
    }

    /** Closed loop: {@code connections} loops, connection {@code c} posting each webhook to {@code targets(c)}. */
    Load closedLoop(HttpClient client, int connections, IntFunction<List<Target>> targets, int seconds)
            throws InterruptedException {
        LongList latencies = new LongList();
        AtomicLong errors = new AtomicLong();
        AtomicLong posted = new AtomicLong();
        Set<Long> accepted = ConcurrentHashMap.newKeySet();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(connections);
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            loop(client, targets.apply(c), end, latencies, errors, posted, accepted, done);
        }
        done.await();
        long[] l = latencies.drain();
        Arrays.sort(l);
        return new Load(l, errors.get(), System.nanoTime() - started, accepted, posted.get());
    }

    private void loop(HttpClient client, List<Target> targets, long end, LongList latencies, AtomicLong errors,
                      AtomicLong posted, Set<Long> accepted, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        post(client, targets, System.nanoTime(), latencies, errors, posted, accepted)
                .onComplete(ar -> loop(client, targets, end, latencies, errors, posted, accepted, done));
    }

    /**
     * Open loop: webhook {@code i} is due at {@code start + i / rps} and posted then, whether or not the earlier
     * ones were answered, to {@code targets(i)}. Latency counts from when it was due, so time spent waiting for a
     * connection or behind a slow answer is in it (no coordinated omission).
     */
    Load openLoop(HttpClient client, double rps, IntFunction<List<Target>> targets, int seconds)
            throws InterruptedException {
        LongList latencies = new LongList();
        AtomicLong errors = new AtomicLong();
        AtomicLong posted = new AtomicLong();
        Set<Long> accepted = ConcurrentHashMap.newKeySet();
        int total = (int) Math.round(rps * seconds);
        List<Future<Void>> all = new ArrayList<>(total);
        long started = System.nanoTime();
        double interval = TimeUnit.SECONDS.toNanos(1) / rps;
        for (int i = 0; i < total; i++) {
            long due = started + (long) (i * interval);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            all.add(post(client, targets.apply(i), due, latencies, errors, posted, accepted));
        }
        long sentFor = System.nanoTime() - started;
        try {
            Future.join(all).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // counted as errors already; a webhook still unanswered after 2 minutes is left out
        }
        long[] l = latencies.drain();
        Arrays.sort(l);
        return new Load(l, errors.get(), sentFor, accepted, posted.get());
    }

    /** One webhook to every target at once; each POST answered 200 is one latency, measured from {@code due}. */
    private Future<Void> post(HttpClient client, List<Target> targets, long due, LongList latencies,
                              AtomicLong errors, AtomicLong posted, Set<Long> accepted) {
        long id = ids.incrementAndGet();
        Buffer body = body(id);
        sentAt.put(id, due);
        List<Future<Integer>> posts = new ArrayList<>(targets.size());
        for (Target target : targets) {
            posted.incrementAndGet();
            posts.add(client.request(HttpMethod.POST, target.port(), "127.0.0.1", "/hooks/alertmanager")
                    .compose(req -> req.putHeader("Content-Type", "application/json").send(body))
                    .compose(resp -> resp.body().map(b -> resp.statusCode()))
                    .andThen(ar -> {
                        if (ar.succeeded() && ar.result() == 200) {
                            latencies.add(System.nanoTime() - due);
                            accepted.add(id);
                        } else {
                            errors.incrementAndGet();
                        }
                    }));
        }
        return Future.join(posts).transform(ar -> Future.succeededFuture());
    }

    Buffer body(long id) {
        JsonArray list = new JsonArray();
        String start = Instant.now().toString();
        for (int i = 0; i < alertsPerRequest; i++) {
            list.add(new JsonObject()
                    .put("status", "firing")
                    .put("labels", new JsonObject().put("alertname", "Bench" + id).put("instance", "i-" + i)
                            .put("severity", "warning").put("job", "node"))
                    .put("annotations", new JsonObject().put("summary", "benchmark alert " + i + " of request " + id))
                    .put("startsAt", start)
                    .put("endsAt", "0001-01-01T00:00:00Z")
                    .put("generatorURL", "http://prometheus:9090/graph?g0.expr=up")
                    .put("fingerprint", "r" + id + "-" + i));
        }
        return new JsonObject().put("version", "4").put("status", "firing").put("receiver", "opsgate")
                .put("groupKey", "{}:{alertname=\"Bench" + id + "\"}").put("externalURL", "http://am:9093")
                .put("groupLabels", new JsonObject().put("alertname", "Bench" + id))
                .put("commonLabels", new JsonObject()).put("commonAnnotations", new JsonObject())
                .put("truncatedAlerts", 0).put("alerts", list).toBuffer();
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** A growable array of longs shared by the client's event loops. */
    static final class LongList {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        synchronized long[] drain() {
            long[] result = Arrays.copyOf(values, size);
            size = 0;
            return result;
        }
    }
}
