package io.opsgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Deliveries re-sent per SIGKILL: the gateway as a child JVM ({@code io.opsgate.cli.Main run}) delivers
 * {@code alerts} one-alert groups (accepted within one group_wait, so they stream out together) to a local sink
 * that takes everything; it is SIGKILLed a third of the way through, restarted on the same store, and the sink counts what came twice. Only the requests in flight at the kill
 * (at most {@code alerts.delivery.concurrency}) may be re-sent, each with its idempotency key and {@code attempt > 0}.
 */
final class CrashResendBench {
    private record Got(String key, int attempt, String fingerprint) {
    }

    record Result(int deliveredBeforeKill, int resent, int twice, int keysReSentWithoutAttempt, int lost) {
    }

    private CrashResendBench() {
    }

    static List<Result> run(int kills, int alerts, int concurrency) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            results.add(once(alerts, concurrency, i));
        }
        return results;
    }

    private static Result once(int alerts, int concurrency, int round) throws Exception {
        Vertx vertx = Vertx.vertx();
        ConcurrentLinkedQueue<Got> got = new ConcurrentLinkedQueue<>();
        HttpServer sink = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject n = new JsonObject(body.toString());
            for (Object a : n.getJsonArray("alerts")) {
                got.add(new Got(n.getString("idempotencyKey"), n.getInteger("attempt"),
                        ((JsonObject) a).getString("fingerprint")));
            }
            req.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").await();
        Path dir = Files.createTempDirectory("opsgate-bench-crash");
        Path config = dir.resolve("opsgate.yml");
        Files.writeString(config, """
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "http://127.0.0.1:9", cloudwatch: "http://127.0.0.1:9", sts: "http://127.0.0.1:9", servicequotas: "http://127.0.0.1:9"}
                  credentials: {access_key_id: AKIAOPSGATEBENCH0000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 1}
                accounts:
                  - {name: bench, id: "123456789012"}
                collection:
                  interval: 5m
                alerts:
                  auth: {bearer_token: bench-token}
                  store: {path: %s}
                  max_body_size: 8MiB
                  delivery: {concurrency: %d}
                route:
                  receiver: hook
                  group_by: ['...']
                  group_wait: 2s
                receivers:
                  - name: hook
                    webhook_configs: [{url: "http://127.0.0.1:%d/hook", rate_limit: 0}]
                """.formatted(dir.resolve("alerts.db"), concurrency, sink.actualPort()));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpClient http = HttpClient.newHttpClient();
        JvmProcess gateway = start(config, port, dir.resolve("gateway-1.log"), http);
        int perRequest = 500; // all accepted within group_wait: the groups then flush together and stream out
        String startsAt = Instant.now().toString();
        for (int first = 0; first < alerts; first += perRequest) {
            JsonArray list = new JsonArray();
            for (int i = first; i < Math.min(alerts, first + perRequest); i++) {
                list.add(new JsonObject().put("status", "firing")
                        .put("labels", new JsonObject().put("alertname", "Crash" + round).put("instance", "i-" + i))
                        .put("annotations", new JsonObject()).put("startsAt", startsAt)
                        .put("fingerprint", "k" + round + "-" + i));
            }
            JsonObject body = new JsonObject().put("version", "4").put("status", "firing").put("receiver", "x")
                    .put("groupKey", "crash").put("alerts", list);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/hooks/alertmanager")).header("Authorization", "Bearer bench-token")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("webhook answered " + r.statusCode() + ": " + r.body());
            }
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (got.size() < alerts / 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        gateway.kill();
        int beforeKill = got.size();
        gateway = start(config, port, dir.resolve("gateway-2.log"), http);
        deadline = System.nanoTime() + 120_000_000_000L;
        while (distinct(got) < alerts && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(1000); // let anything late arrive before counting (a measurement, not a test)
        gateway.close();
        sink.close().await();
        vertx.close().await();

        Map<String, Integer> perKey = new HashMap<>();
        int resent = 0;
        Set<String> fingerprints = new HashSet<>();
        for (Got g : got) {
            perKey.merge(g.key(), 1, Integer::sum);
            resent += g.attempt() > 0 ? 1 : 0;
            fingerprints.add(g.fingerprint());
        }
        int twice = (int) perKey.values().stream().filter(n -> n > 1).count();
        int withoutAttempt = 0;
        Set<String> seen = new HashSet<>();
        for (Got g : got) {
            if (!seen.add(g.key()) && g.attempt() == 0) {
                withoutAttempt++;
            }
        }
        return new Result(beforeKill, resent, twice, withoutAttempt, alerts - fingerprints.size());
    }

    private static int distinct(ConcurrentLinkedQueue<Got> got) {
        Set<String> fps = new HashSet<>();
        got.forEach(g -> fps.add(g.fingerprint()));
        return fps.size();
    }

    private static JvmProcess start(Path config, int port, Path log, HttpClient http) throws Exception {
        JvmProcess p = JvmProcess.start("gateway", List.of("-cp", System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                List.of("io.opsgate.cli.Main", "run", "-c", config.toString(), "--listen", "127.0.0.1:" + port), log);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/healthy")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gateway did not start; see " + log);
    }

    static void print(List<Result> results, int alerts, int concurrency) {
        System.out.printf("%nSIGKILL during delivery (%d one-alert notifications, concurrency %d, a sink that takes "
                + "everything; killed after about a third):%n", alerts, concurrency);
        System.out.printf("%-8s %18s %12s %16s %22s %6s%n", "kill", "delivered before", "re-sent", "delivered twice",
                "twice with attempt 0", "lost");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            System.out.printf("%-8d %18d %12d %16d %22d %6d%n", i + 1, r.deliveredBeforeKill(), r.resent(), r.twice(),
                    r.keysReSentWithoutAttempt(), r.lost());
        }
        int[] resent = results.stream().mapToInt(Result::resent).sorted().toArray();
        System.out.printf("deliveries re-sent per SIGKILL: median %d (max %d; bound: the %d requests in flight)%n",
                resent[resent.length / 2], Arrays.stream(resent).max().orElse(0), concurrency);
    }
}
