package io.opsgate.bench;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code /metrics} of the service against a static server holding the same bytes, under the same closed-loop
 * load, in alternating batches (service first in even rounds, static first in odd ones) so that drift in
 * the machine's load hits both targets alike.
 */
final class ScrapeBench {

    enum Target { SERVICE, STATIC }

    enum Encoding {
        PLAIN(false), GZIP(true);

        final boolean gzip;

        Encoding(boolean gzip) {
            this.gzip = gzip;
        }
    }

    /** All batches of one (target, encoding). */
    record Result(long[] latenciesNanos, long requests, long wallNanos, long bodyBytes) {
        double medianMillis() {
            return Stats.median(latenciesNanos) / 1e6;
        }

        double p99Millis() {
            return Stats.percentile(latenciesNanos, 99) / 1e6;
        }

        double requestsPerSecond() {
            return requests / (wallNanos / 1e9);
        }

        double meanBodyBytes() {
            return (double) bodyBytes / requests;
        }
    }

    private final Vertx vertx;
    private final BenchOptions options;

    ScrapeBench(Vertx vertx, BenchOptions options) {
        this.vertx = vertx;
        this.options = options;
    }

    Map<Encoding, Map<Target, Result>> run(int servicePort, int staticPort) throws Exception {
        Map<Encoding, Map<Target, List<ScrapeLoad.Batch>>> batches = new EnumMap<>(Encoding.class);
        try (ScrapeLoad load = new ScrapeLoad(vertx, options.clients())) {
            for (Encoding encoding : Encoding.values()) {
                for (Target target : Target.values()) {
                    int warmUp = Math.max(options.clients() * 4, requests(encoding) / 2);
                    await(load.run(port(target, servicePort, staticPort), "/metrics", encoding.gzip, warmUp));
                }
            }
            for (int round = 0; round < options.rounds(); round++) {
                List<Target> order = round % 2 == 0 ? List.of(Target.SERVICE, Target.STATIC) : List.of(Target.STATIC, Target.SERVICE);
                for (Encoding encoding : Encoding.values()) {
                    for (Target target : order) {
                        ScrapeLoad.Batch batch = await(load.run(port(target, servicePort, staticPort), "/metrics",
                                encoding.gzip, requests(encoding)));
                        batches.computeIfAbsent(encoding, e -> new EnumMap<>(Target.class))
                                .computeIfAbsent(target, t -> new ArrayList<>()).add(batch);
                    }
                }
            }
        }
        Map<Encoding, Map<Target, Result>> results = new EnumMap<>(Encoding.class);
        batches.forEach((encoding, byTarget) -> byTarget.forEach((target, list) ->
                results.computeIfAbsent(encoding, e -> new EnumMap<>(Target.class)).put(target, merge(list))));
        return results;
    }

    private int requests(Encoding encoding) {
        return encoding.gzip ? options.gzipRequests() : options.plainRequests();
    }

    private static int port(Target target, int servicePort, int staticPort) {
        return target == Target.SERVICE ? servicePort : staticPort;
    }

    private static Result merge(List<ScrapeLoad.Batch> batches) {
        long[] all = batches.stream().flatMapToLong(b -> java.util.Arrays.stream(b.latenciesNanos())).toArray();
        long wall = batches.stream().mapToLong(ScrapeLoad.Batch::wallNanos).sum();
        long bytes = batches.stream().mapToLong(ScrapeLoad.Batch::bodyBytes).sum();
        return new Result(all, all.length, wall, bytes);
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    }
}
