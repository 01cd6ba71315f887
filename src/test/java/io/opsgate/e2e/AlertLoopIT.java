package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.AlertmanagerServer;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.HttpSink;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.PrometheusServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole alert loop, every part real: the demo fleet in the AWS simulator, {@code opsgate run} collecting it and
 * serving the gateway, a Prometheus HA pair (two servers with the repository's prometheus/rules, each with its own
 * {@code replica} external label, which {@code alert_relabel_configs} drops as HA pairs are run) sending to two
 * unclustered Alertmanagers, each of which notifies OpsGate, which routes the chosen volume's EBS alerts to a sink
 * standing in for Slack and to a webhook receiver. The simulator's admin API drains one gp2 volume's burst balance,
 * then refills it.
 *
 * <p>Each Prometheus computes its own {@code activeAt}, so the four copies of every state reach OpsGate with
 * different {@code startsAt}: OpsGate must turn them into exactly one firing and one resolved message per alert.
 * The second scenario SIGKILLs OpsGate while the resolved messages are in flight (both sinks hold them open): after
 * the restart nothing is lost, the firing messages the sinks took are not sent again, and the in-flight ones are,
 * the webhook's with the same {@code Idempotency-Key} (header and body) and {@code attempt > 0}.
 *
 * <p>The rule files are the repository's with each {@code for:} shortened to {@value #FOR} (expressions, labels and
 * annotations unchanged): their minutes of {@code for:} suit 5-minute CloudWatch data, not a test.
 */
class AlertLoopIT {
    private static final String FOR = "2s";
    private static final String ACCOUNT = "111111111111";
    private static final String REGION = "us-east-1";
    private static final Set<String> EBS_ALERTS = Set.of("EBSBurstBalanceLow", "EBSBurstBalanceExhausted");
    private static final Path RULES = Path.of("prometheus", "rules").toAbsolutePath();
    private static final Duration QUIET = Duration.ofSeconds(6);
    private static final AtomicInteger VOLUME_PICK = new AtomicInteger();

    private static Vertx vertx;
    private static AwsSimulator simulator;
    private static List<SimVolume> gp2;
    private static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path work;
    private final List<AutoCloseable> running = new ArrayList<>();
    private HttpSink slack;
    private HttpSink hook;
    private GatewayProcess opsgate;

    /** One message at a sink, read from Slack's text heading or the webhook's JSON. */
    record Message(java.time.Instant at, String sink, String status, String alertname, int answeredWith, String key,
                   int attempt, String body) {
        static Message of(String sink, HttpSink.Received r) {
            JsonObject json = new JsonObject(r.body());
            if (sink.equals("slack")) {
                String text = json.getString("text", "");
                String status = text.startsWith("[FIRING") ? "FIRING" : text.startsWith("[RESOLVED") ? "RESOLVED" : text;
                String alert = EBS_ALERTS.stream().filter(text::contains).findFirst().orElse("?");
                return new Message(r.at(), sink, status, alert, r.answeredWith(), r.header("Idempotency-Key"), -1, r.body());
            }
            String alert = json.getJsonObject("groupLabels", new JsonObject()).getString("alertname", "?");
            return new Message(r.at(), sink, json.getString("status", "?").toUpperCase(java.util.Locale.ROOT), alert,
                    r.answeredWith(), r.header("Idempotency-Key"), json.getInteger("attempt", -1), r.body());
        }

        @Override
        public String toString() {
            return sink + " " + status + " " + alertname + " -> " + answeredWith + " key=" + key + " attempt=" + attempt;
        }
    }

    @BeforeAll
    static void startSimulator() throws Exception {
        vertx = Vertx.vertx();
        // The demo's fleet (same seed and size as `opsgate demo`), with the admin API on a free loopback port.
        simulator = AwsSimulator.start(vertx, SimulatorOptions.defaults().withFleetSize(40, 20).withAdmin("127.0.0.1", 0))
                .toCompletionStage().toCompletableFuture().get();
        gp2 = simulator.fleet().volumes(ACCOUNT, REGION).stream()
                .filter(v -> v.reportsBurstBalance() && v.volumeType().equals("gp2")).toList();
        assertThat(gp2).as("the demo fleet has attached gp2 volumes").hasSizeGreaterThanOrEqualTo(4);
    }

    @AfterAll
    static void stopSimulator() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @AfterEach
    void stopLoop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (opsgate != null) {
            opsgate.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void aDrainedVolumeFiresOnceAndItsRefillResolvesOnce(PeerGeneration generation) throws Exception {
        String volume = startLoop(generation);

        admin(volume, "drain");
        awaitMessages("FIRING", volume);
        assertQuietly(volume, Map.of("FIRING", 1L));

        admin(volume, "refill");
        awaitMessages("RESOLVED", volume);
        assertQuietly(volume, Map.of("FIRING", 1L, "RESOLVED", 1L));
        assertThat(messages()).as("every message was taken").allMatch(m -> m.answeredWith() == 200);
        assertThat(messages().stream().filter(m -> m.sink().equals("webhook")).map(Message::key).distinct())
                .as("one idempotency key per state change per alert").hasSize(2 * EBS_ALERTS.size());
    }

    /**
     * On the current peer generation only: what a SIGKILL tests is OpsGate's outbox, which does not depend on the
     * peers' version (the firing and resolved path above runs on both), and each run costs about 90 s of CI.
     */
    @Test
    void aSigkillWhileTheResolveIsInFlightLosesNothingAndResendsOnlyThatRequest() throws Exception {
        String volume = startLoop(PeerGeneration.CURRENT);

        admin(volume, "drain");
        awaitMessages("FIRING", volume);
        assertQuietly(volume, Map.of("FIRING", 1L));

        // The resolved messages are held open at both sinks; OpsGate is killed while it waits for their answers.
        CompletableFuture<Void> release = new CompletableFuture<>();
        for (HttpSink sink : List.of(slack, hook)) {
            sink.then(HttpSink.Answer.heldUntil(release)).then(HttpSink.Answer.heldUntil(release));
        }
        List<Message> delivered = messages();
        admin(volume, "refill");
        await("every resolved message in flight").atMost(Duration.ofSeconds(90))
                .until(() -> messages().size() >= delivered.size() + 2 * 2);
        List<Message> inFlight = messages().subList(delivered.size(), messages().size());
        assertThat(inFlight).as("in flight at the kill").hasSize(4).extracting(Message::status).containsOnly("RESOLVED");
        opsgate.kill();
        release.complete(null);

        opsgate = GatewayProcess.run(work.resolve("opsgate.yml"), opsgate.port(), work.resolve("opsgate.log"));
        await("every in-flight message sent again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> messages().size() >= delivered.size() + 8);
        assertQuietly(volume, Map.of("FIRING", 1L, "RESOLVED", 2L));

        List<Message> resent = messages().subList(delivered.size() + 4, messages().size());
        assertThat(resent).as("the re-sent requests are the in-flight ones, the sinks take them").hasSize(4)
                .allMatch(m -> m.answeredWith() == 200);
        for (Message m : resent) {
            Message first = inFlight.stream().filter(i -> i.sink().equals(m.sink()) && i.alertname().equals(m.alertname()))
                    .findFirst().orElseThrow();
            if (m.sink().equals("webhook")) {
                assertThat(new JsonObject(m.body()).getJsonArray("alerts")).as("the same alerts in the re-send")
                        .isEqualTo(new JsonObject(first.body()).getJsonArray("alerts"));
                assertThat(m.key()).as("the re-send carries the in-flight request's key").isNotBlank().isEqualTo(first.key());
                assertThat(new JsonObject(m.body()).getString("idempotencyKey")).isEqualTo(first.key());
                assertThat(m.attempt()).as("attempt of the re-send").isPositive();
                assertThat(first.attempt()).isZero();
            } else {
                assertThat(m.body()).as("Slack gets the same message again").isEqualTo(first.body());
            }
        }
        List<Message> webhook = messages().stream().filter(m -> m.sink().equals("webhook")).toList();
        assertThat(webhook).as("every webhook request carries its key").allMatch(m -> m.key() != null && !m.key().isBlank());
        assertThat(webhook.stream().map(Message::key).distinct()).as("one key per state change per alert")
                .hasSize(2 * EBS_ALERTS.size());
    }

    /** Sink, OpsGate, two Alertmanagers, two Prometheus; returns the volume this run drains and refills. */
    private String startLoop(PeerGeneration generation) throws Exception {
        generation.prometheus();
        generation.alertmanager();
        String volume = gp2.get(VOLUME_PICK.getAndIncrement() % gp2.size()).id();
        // Pinned full first: the natural cycle cannot take it below 20% on its own during the test.
        admin(volume, "refill");

        slack = HttpSink.start(vertx);
        running.add(slack);
        hook = HttpSink.start(vertx);
        running.add(hook);
        int port = FreePort.pick();
        Path config = work.resolve("opsgate.yml");
        Files.writeString(config, opsgateConfig(volume));
        opsgate = GatewayProcess.run(config, port, work.resolve("opsgate.log"));

        String amConfig = GatewayConfigs.alertmanagerToGateway(
                "http://127.0.0.1:" + port + "/hooks/alertmanager", "[alertname]", "1s", "2s");
        AlertmanagerServer a = AlertmanagerServer.start(generation, amConfig, work.resolve("am-a"));
        running.add(a);
        AlertmanagerServer b = AlertmanagerServer.start(generation, amConfig, work.resolve("am-b"));
        running.add(b);

        Path rules = shortenedRules();
        for (String replica : List.of("a", "b")) {
            PrometheusServer prometheus = PrometheusServer.start(generation, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                      external_labels: {replica: %s}
                    rule_files: ['%s/*.yml']
                    alerting:
                      alert_relabel_configs:
                        - regex: replica
                          action: labeldrop
                      alertmanagers:
                        - static_configs:
                            - targets: ['127.0.0.1:%d', '127.0.0.1:%d']
                    scrape_configs:
                      - job_name: opsgate
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(replica, rules, a.port(), b.port(), port), work.resolve("prometheus-" + replica), rules);
            running.add(prometheus);
            prometheus.awaitQuery("aws_ebs_burst_balance_ratio{volume_id=\"" + volume + "\"} == 1", r -> r.size() == 1,
                    Duration.ofSeconds(60));
        }
        return volume;
    }

    private String opsgateConfig(String volume) {
        return """
                collection:
                  interval: 10s
                  jitter: 0
                  # The admin drain empties the bucket at once, faster than any volume can: cost-aware polling,
                  # which trusts physics, would read it only at its next scheduled read.
                  cloudwatch: {cost_aware: {enabled: false}}
                  # The loop runs on EBS burst alerts: the core collectors keep its 10 s cycles short.
                  collectors: [ebs, ec2, ec2_status]
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "%1$s", cloudwatch: "%1$s", sts: "%1$s", servicequotas: "%1$s"}
                  credentials: {access_key_id: AKIAOPSGATELOOP00000, secret_access_key: not-a-secret}
                accounts:
                  - role_arn: arn:aws:iam::111111111111:role/opsgate-demo
                  - role_arn: arn:aws:iam::222222222222:role/opsgate-demo
                """.formatted(simulator.endpoint()) + GatewayConfigs.alerts("alerts.db") + """
                route:
                  receiver: log
                  group_by: [alertname, volume_id]
                  group_wait: 1s
                  group_interval: 1s
                  routes:
                    - matchers: ['volume_id="%s"', 'alertname=~"EBSBurstBalanceLow|EBSBurstBalanceExhausted"']
                      receiver: loop
                receivers:
                  - name: log
                    log_configs: [{send_resolved: true}]
                  - name: loop
                    slack_configs: [{api_url: "%s", send_resolved: true, rate_limit: 0}]
                    webhook_configs: [{url: "%s", send_resolved: true}]
                """.formatted(volume, slack.url("/services/T0/B0/LOOP"), hook.url("/hook"));
    }

    /** The repository's rule files with every {@code for:} set to {@value #FOR}. */
    private Path shortenedRules() throws Exception {
        Path dir = work.resolve("rules");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(RULES)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                String yaml = Files.readString(f);
                String shortened = yaml.replaceAll("(?m)^(\\s+for:\\s*)\\d+[smh]\\s*$", "$1" + FOR);
                assertThat(shortened.equals(yaml) && yaml.contains(" for:")).as(f + ": for: shortened").isFalse();
                Files.writeString(dir.resolve(f.getFileName()), shortened);
            }
        }
        return dir;
    }

    private static void admin(String volume, String action) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(simulator.adminEndpoint() + "/volumes/" + volume
                        + "/" + action + "?account_id=" + ACCOUNT + "&region=" + REGION))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(action + " " + volume + ": " + r.body()).isEqualTo(200);
    }

    /** Every message at both sinks, in order of arrival. */
    private List<Message> messages() {
        List<Message> all = new ArrayList<>();
        slack.received().forEach(r -> all.add(Message.of("slack", r)));
        hook.received().forEach(r -> all.add(Message.of("webhook", r)));
        all.sort(java.util.Comparator.comparing(Message::at));
        return all;
    }

    /** Per sink and alert, how many messages of this status the sink took. */
    private Map<String, Long> perAlert(String volume, String status) {
        return messages().stream().filter(m -> status.equals(m.status()) && m.answeredWith() == 200 && m.body().contains(volume))
                .collect(Collectors.groupingBy(m -> m.sink() + "/" + m.alertname(), TreeMap::new, Collectors.counting()));
    }

    private static Set<String> everyAlertAtEverySink() {
        return EBS_ALERTS.stream().flatMap(a -> Stream.of("slack/" + a, "webhook/" + a)).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private void awaitMessages(String status, String volume) {
        try {
            await(status + " for " + EBS_ALERTS).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> perAlert(volume, status).keySet().containsAll(everyAlertAtEverySink()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(status + " not at the sink for every alert:\n" + describe(volume) + "\nopsgate log:\n"
                    + opsgate.log(), e);
        }
    }

    /** One line per message at the sinks: where, what, how it was answered, its idempotency key. */
    private String describe(String volume) {
        return messages().stream().map(Message::toString).collect(Collectors.joining("\n"));
    }

    /**
     * For {@link #QUIET}, every alert has exactly {@code expected} taken messages of each status (none more arrive from
     * the other Prometheus replica, the other Alertmanager or their re-sends). {@code null}: only the per-alert
     * count of each status seen so far, which must stay as it is.
     */
    private void assertQuietly(String volume, Map<String, Long> expected) {
        Map<String, Map<String, Long>> now = Map.of("FIRING", perAlert(volume, "FIRING"), "RESOLVED", perAlert(volume, "RESOLVED"));
        try {
            await("no further messages").during(QUIET).atMost(QUIET.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Map.of("FIRING", perAlert(volume, "FIRING"), "RESOLVED", perAlert(volume, "RESOLVED")).equals(now));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("more messages arrived after " + now + ":\n" + describe(volume) + "\nopsgate log:\n"
                    + opsgate.log(), e);
        }
        if (expected != null) {
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                Map<String, Long> one = everyAlertAtEverySink().stream()
                        .collect(Collectors.toMap(a -> a, a -> e.getValue(), (x, y) -> x, TreeMap::new));
                assertThat(perAlert(volume, e.getKey())).as(e.getKey() + " messages per alert and sink:\n" + describe(volume))
                        .isEqualTo(one);
            }
        }
    }
}
