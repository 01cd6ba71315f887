package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.testing.AlertmanagerServer;
import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.HttpSink;
import io.opsgate.testing.PeerGeneration;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway as users run it ({@code java -jar target/opsgate.jar run -c ...}) against real peers: two unclustered
 * {@code prometheus-alertmanager} processes, and local HTTP sinks standing in for Slack and webhook receivers.
 * Each scenario has its own receiver and sink, selected by the {@code scenario} label.
 */
class AlertGatewayIT {
    @TempDir
    static Path work;
    private static Vertx vertx;
    private static HttpSink slack;
    /** One Slack sink per peer generation, routed by the {@code generation} label of the HA scenario's alerts. */
    private static final Map<PeerGeneration, HttpSink> slackOf = new EnumMap<>(PeerGeneration.class);
    private static HttpSink flaky;
    private static HttpSink gone;
    private static HttpSink limited;
    private static GatewayProcess gateway;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        slack = HttpSink.start(vertx);
        for (PeerGeneration g : PeerGeneration.values()) {
            slackOf.put(g, HttpSink.start(vertx));
        }
        flaky = HttpSink.start(vertx)
                .then(HttpSink.Answer.of(500))
                .then(new HttpSink.Answer(429, "rate limited", r -> r.putHeader("Retry-After", "2")));
        gone = HttpSink.start(vertx).otherwise(new HttpSink.Answer(404, "no_service", r -> {
        }));
        limited = HttpSink.start(vertx)
                .then(new HttpSink.Answer(429, "slow down", r -> r.putHeader("Retry-After", "15")));
        Path config = work.resolve("opsgate.yml");
        Files.writeString(config, GatewayConfigs.deadAws() + GatewayConfigs.alerts("alerts.db") + """
                route:
                  receiver: slack
                  group_by: [alertname, instance]
                  group_wait: 1s
                  group_interval: 1s
                  routes:
                    - matchers: ['scenario="flaky"']
                      receiver: flaky
                    - matchers: ['scenario="gone"']
                      receiver: gone
                    - matchers: ['scenario="limited"']
                      receiver: limited
                    - matchers: ['generation="STABLE"']
                      receiver: slack-stable
                    - matchers: ['generation="CURRENT"']
                      receiver: slack-current
                receivers:
                  - name: slack
                    slack_configs:
                      - api_url: %s
                        send_resolved: true
                        rate_limit: 0
                  - name: flaky
                    webhook_configs: [{url: "%s"}]
                  - name: gone
                    webhook_configs: [{url: "%s"}]
                  - name: limited
                    webhook_configs: [{url: "%s"}]
                  - name: slack-stable
                    slack_configs: [{api_url: "%s", send_resolved: true, rate_limit: 0}]
                  - name: slack-current
                    slack_configs: [{api_url: "%s", send_resolved: true, rate_limit: 0}]
                """.formatted(slack.url("/services/T0/B0/X"), flaky.url("/hook"), gone.url("/hook"), limited.url("/hook"),
                slackOf.get(PeerGeneration.STABLE).url("/services/T0/B1/X"),
                slackOf.get(PeerGeneration.CURRENT).url("/services/T0/B2/X")));
        gateway = GatewayProcess.run(config, FreePort.pick(), work.resolve("gateway.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void twoUnclusteredAlertmanagersGiveOneMessagePerFiringAndOnePerResolve(PeerGeneration generation) throws Exception {
        generation.alertmanager(); // skips (or fails under CI) before anything is started
        HttpSink slack = slackOf.get(generation);
        String before = gateway.get("/metrics");
        String amConfig = GatewayConfigs.alertmanagerToGateway(
                gateway.uri("/hooks/alertmanager").toString(), "[alertname]", "1s", "2s");
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> instances = List.of("i-1", "i-2", "i-3");
        String dir = generation.name().toLowerCase();
        try (AlertmanagerServer a = AlertmanagerServer.start(generation, amConfig, work.resolve("am-a-" + dir));
             AlertmanagerServer b = AlertmanagerServer.start(generation, amConfig, work.resolve("am-b-" + dir))) {
            String firing = postable(generation, instances, startsAt, startsAt.plus(Duration.ofHours(1)));
            a.pushAlerts(firing);
            b.pushAlerts(firing);
            // Both peers notify, and re-notify on every group_interval change: nothing more may come of their copies.
            settlesAt(() -> headings(slack, "[FIRING").size(), 3, Duration.ofSeconds(6));
            assertThat(headings(slack, "[FIRING")).containsExactlyInAnyOrder(
                    "[FIRING:1] ItDiskFull i-1", "[FIRING:1] ItDiskFull i-2", "[FIRING:1] ItDiskFull i-3");

            String resolved = postable(generation, instances, startsAt, Instant.now().minusSeconds(1));
            a.pushAlerts(resolved);
            b.pushAlerts(resolved);
            settlesAt(() -> headings(slack, "[RESOLVED").size(), 3, Duration.ofSeconds(6));
            assertThat(headings(slack, "[RESOLVED")).containsExactlyInAnyOrder(
                    "[RESOLVED] ItDiskFull i-1", "[RESOLVED] ItDiskFull i-2", "[RESOLVED] ItDiskFull i-3");
            assertThat(headings(slack, "[FIRING")).hasSize(3);
        }
        String metrics = gateway.get("/metrics");
        assertThat(ExpositionText.sum(metrics, "opsgate_alerts_deduplicated_total")
                - ExpositionText.sum(before, "opsgate_alerts_deduplicated_total"))
                .as("the second peer's copies were dropped").isGreaterThanOrEqualTo(6.0);
        assertThat(ExpositionText.sum(metrics, "opsgate_notifications_total", "channel=\"slack\"", "outcome=\"delivered\"")
                - ExpositionText.sum(before, "opsgate_notifications_total", "channel=\"slack\"", "outcome=\"delivered\""))
                .isEqualTo(6.0);
    }

    /**
     * The reported defect: behind a Prometheus HA pair each Alertmanager holds its own replica's {@code activeAt},
     * so the peers report the same alerts with {@code startsAt} 15 s apart. The resolve of the peer with the earlier
     * start used to be dropped (every resolve lost, the alerts shown firing for ever), and the later peer's firing
     * copy counted as news. Now: one FIRING and one RESOLVED per alert, whichever peer resolves.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void unclusteredAlertmanagersWithSkewedStartsAtStillDeliverEveryResolve(PeerGeneration generation) throws Exception {
        generation.alertmanager(); // skips (or fails under CI) before anything is started
        HttpSink slack = slackOf.get(generation);
        String amConfig = GatewayConfigs.alertmanagerToGateway(
                gateway.uri("/hooks/alertmanager").toString(), "[alertname, instance]", "1s", "2s");
        Instant early = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        Instant late = early.plusSeconds(15);
        List<String> instances = List.of("s-1", "s-2", "s-3");
        int from = slack.received().size();
        String dir = generation.name().toLowerCase();
        try (AlertmanagerServer a = AlertmanagerServer.start(generation, amConfig, work.resolve("skew-a-" + dir));
             AlertmanagerServer b = AlertmanagerServer.start(generation, amConfig, work.resolve("skew-b-" + dir))) {
            b.pushAlerts(postable(generation, "ItSkewed", instances, late, late.plus(Duration.ofHours(1))));
            settlesAt(() -> headings(slack, from, "[FIRING").size(), 3, Duration.ofSeconds(3));
            // peer a's copies, with the earlier startsAt, belong to the same incidents
            a.pushAlerts(postable(generation, "ItSkewed", instances, early, early.plus(Duration.ofHours(1))));
            settlesAt(() -> headings(slack, from, "[FIRING").size(), 3, Duration.ofSeconds(4));

            a.pushAlerts(postable(generation, "ItSkewed", instances, early, Instant.now().minusSeconds(1)));
            settlesAt(() -> headings(slack, from, "[RESOLVED").size(), 3, Duration.ofSeconds(4));
            b.pushAlerts(postable(generation, "ItSkewed", instances, late, Instant.now().minusSeconds(1)));
            settlesAt(() -> headings(slack, from, "[RESOLVED").size(), 3, Duration.ofSeconds(5));
            assertThat(headings(slack, from, "[RESOLVED")).containsExactlyInAnyOrder(
                    "[RESOLVED] ItSkewed s-1", "[RESOLVED] ItSkewed s-2", "[RESOLVED] ItSkewed s-3");
            assertThat(headings(slack, from, "[FIRING")).hasSize(3);
        }
    }

    /**
     * The reported P1 defect through the real webhook channel: FIRING got 429 with Retry-After: 15, the alert
     * resolved, and the destination got RESOLVED and then the stale FIRING 11 s later. Now it gets the group's
     * newest state once, after the Retry-After, and nothing after it.
     */
    @Test
    void aFiringRefusedWith429ThatResolvesMeanwhileReachesTheDestinationOnlyAsResolved() throws Exception {
        JsonObject firing = webhook("limited", "l-1");
        assertThat(post(firing.encode(), "Bearer " + GatewayConfigs.TOKEN).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> limited.received().size() == 1);
        JsonObject resolved = webhook("limited", "l-1");
        resolved.getJsonArray("alerts").getJsonObject(0).put("status", "resolved")
                .put("endsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        resolved.put("status", "resolved");
        assertThat(post(resolved.encode(), "Bearer " + GatewayConfigs.TOKEN).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(40)).until(() -> limited.received().size() == 2);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> limited.received().size() == 2);
        List<HttpSink.Received> got = limited.received();
        assertThat(got).extracting(HttpSink.Received::answeredWith).containsExactly(429, 200);
        assertThat(new JsonObject(got.get(0).body()).getString("status")).isEqualTo("firing");
        JsonObject last = new JsonObject(got.get(1).body());
        assertThat(last.getString("status")).isEqualTo("resolved");
        assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(14_900));
        assertThat(last.getString("idempotencyKey"))
                .isNotEqualTo(new JsonObject(got.get(0).body()).getString("idempotencyKey"));
    }

    private static String postable(PeerGeneration generation, List<String> instances, Instant startsAt, Instant endsAt) {
        return postable(generation, "ItDiskFull", instances, startsAt, endsAt);
    }

    private static String postable(PeerGeneration generation, String alertname, List<String> instances,
                                   Instant startsAt, Instant endsAt) {
        JsonArray alerts = new JsonArray();
        for (String instance : instances) {
            alerts.add(new JsonObject()
                    .put("labels", new JsonObject().put("alertname", alertname).put("instance", instance)
                            .put("severity", "warning").put("generation", generation.name()))
                    .put("annotations", new JsonObject().put("summary", "disk of " + instance + " is full"))
                    .put("startsAt", startsAt.toString())
                    .put("endsAt", endsAt.toString())
                    .put("generatorURL", "http://prometheus:9090/graph"));
        }
        return alerts.encode();
    }

    private static List<String> headings(HttpSink sink, String prefix) {
        return headings(sink, 0, prefix);
    }

    /** Texts of the messages the sink took, from its {@code from}-th request on. */
    private static List<String> headings(HttpSink sink, int from, String prefix) {
        List<HttpSink.Received> all = sink.received();
        return all.subList(Math.min(from, all.size()), all.size()).stream().filter(r -> r.answeredWith() == 200)
                .map(r -> new JsonObject(r.body()).getString("text"))
                .filter(t -> t.startsWith(prefix)).toList();
    }

    @Test
    void retryAfterIsWaitedForAndTheMessageDeliveredOnce() throws Exception {
        HttpResponse<String> r = post(webhook("flaky", "f-1").encode(), "Bearer " + GatewayConfigs.TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        settlesAt(() -> flaky.received().size(), 3, Duration.ofSeconds(2));
        List<HttpSink.Received> got = flaky.received();
        assertThat(got).extracting(HttpSink.Received::answeredWith).containsExactly(500, 429, 200);
        assertThat(Duration.between(got.get(1).at(), got.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        assertThat(new JsonObject(got.get(2).body()).getLong("id"))
                .as("the same outbox row each time").isEqualTo(new JsonObject(got.get(0).body()).getLong("id"));
        JsonObject sent = notifications("sent").stream().filter(n -> n.getString("receiver").equals("flaky"))
                .findFirst().orElseThrow();
        assertThat(sent.getInteger("attempts")).isEqualTo(3);
    }

    @Test
    void aPermanentErrorIsMarkedFailedWithTheReasonAndNotRetried() throws Exception {
        assertThat(post(webhook("gone", "g-1").encode(), "Bearer " + GatewayConfigs.TOKEN).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifications("failed").stream().anyMatch(n -> n.getString("receiver").equals("gone")));
        JsonObject failed = notifications("failed").stream().filter(n -> n.getString("receiver").equals("gone"))
                .findFirst().orElseThrow();
        assertThat(failed.getString("lastError")).contains("404");
        settlesAt(() -> gone.received().size(), 1, Duration.ofSeconds(3));
        assertThat(ExpositionText.sum(gateway.get("/metrics"), "opsgate_notifications_total",
                "channel=\"webhook\"", "outcome=\"failed\"")).isEqualTo(1.0);
    }

    static Stream<Arguments> malformed() {
        String token = "Bearer " + GatewayConfigs.TOKEN;
        String good = webhook("bad", "b-1").encode();
        JsonObject wrongType = webhook("bad", "b-2");
        wrongType.getJsonArray("alerts").getJsonObject(0).put("labels", new JsonArray().add("x"));
        JsonObject hugeLabel = webhook("bad", "b-3");
        hugeLabel.getJsonArray("alerts").getJsonObject(0).getJsonObject("labels").put("blob", "x".repeat(200_000));
        return Stream.of(
                Arguments.of("bad JSON", "{\"version\": 4,,}", token, 400, null),
                Arguments.of("truncated body", good.substring(0, good.length() / 2), token, 400, null),
                Arguments.of("empty body", "", token, 400, null),
                Arguments.of("wrong version", good.replace("\"version\":\"4\"", "\"version\":\"3\""), token, 400, "version"),
                Arguments.of("labels of the wrong type", wrongType.encode(), token, 400, "alerts[0].labels"),
                Arguments.of("startsAt of the wrong type", good.replaceFirst("\"startsAt\":\"[^\"]+\"", "\"startsAt\":17"),
                        token, 400, "alerts[0].startsAt"),
                Arguments.of("huge label", hugeLabel.encode(), token, 400, "alerts[0].labels.blob"),
                Arguments.of("10 MB body", "{\"version\":\"4\",\"pad\":\"" + "x".repeat(10 << 20) + "\"}", token, 413, null),
                Arguments.of("no auth", good, null, 401, null),
                Arguments.of("wrong token", good, "Bearer nope", 401, null),
                Arguments.of("basic auth not configured", good, "Basic YTpi", 401, null));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("malformed")
    void malformedRequestsGetTheirDocumentedCodeAndStoreNothing(String name, String body, String auth, int code,
                                                                String field) throws Exception {
        HttpResponse<String> r = post(body, auth);
        assertThat(r.statusCode()).isEqualTo(code);
        JsonObject reason = new JsonObject(r.body());
        assertThat(reason.getString("error")).isNotBlank();
        assertThat(reason.getString("field")).isEqualTo(field);
        if (code == 401) {
            assertThat(r.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"opsgate\"");
        }
        JsonObject alerts = new JsonObject(gateway.get("/api/v1/alerts?limit=1000", "Bearer " + GatewayConfigs.TOKEN));
        assertThat(alerts.encode()).doesNotContain("\"scenario\":\"bad\"");
        assertThat(gateway.isAlive()).isTrue();
        assertThat(http.send(HttpRequest.newBuilder(gateway.uri("/-/healthy")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    static JsonObject webhook(String scenario, String instance) {
        Map<String, Object> labels = new TreeMap<>(Map.of("alertname", "ItProbe", "instance", instance,
                "scenario", scenario));
        JsonObject alert = new JsonObject()
                .put("status", "firing")
                .put("labels", new JsonObject(labels))
                .put("annotations", new JsonObject().put("summary", "probe " + instance))
                .put("startsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("endsAt", "0001-01-01T00:00:00Z")
                .put("generatorURL", "http://prometheus:9090/graph")
                .put("fingerprint", "fp-" + scenario + "-" + instance);
        return new JsonObject().put("version", "4").put("status", "firing").put("receiver", "opsgate")
                .put("groupKey", "{}:{alertname=\"ItProbe\"}").put("externalURL", "http://alertmanager:9093")
                .put("groupLabels", new JsonObject().put("alertname", "ItProbe"))
                .put("commonLabels", new JsonObject()).put("commonAnnotations", new JsonObject())
                .put("truncatedAlerts", 0).put("alerts", new JsonArray().add(alert));
    }

    static HttpResponse<String> post(String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri("/hooks/alertmanager"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonObject> notifications(String status) throws Exception {
        JsonArray items = new JsonObject(gateway.get("/api/v1/notifications?status=" + status + "&limit=1000",
                "Bearer " + GatewayConfigs.TOKEN))
                .getJsonArray("notifications");
        return items.stream().map(JsonObject.class::cast).collect(Collectors.toList());
    }

    /**
     * Waits (up to 30 s) for {@code count} to reach {@code expected}, then requires it to stay there for
     * {@code quiet}: the copies of other peers, retries and group re-sends must not add anything.
     */
    static void settlesAt(java.util.concurrent.Callable<Integer> count, int expected, Duration quiet) {
        await().atMost(Duration.ofSeconds(30)).until(count, n -> n >= expected);
        await().during(quiet).atMost(quiet.plusSeconds(10)).until(count, n -> n == expected);
    }
}
