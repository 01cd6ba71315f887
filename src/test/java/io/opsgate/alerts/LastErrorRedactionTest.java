package io.opsgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.alerts.notify.AlertDestinations;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination that echoes the request in its 400 (PagerDuty's answer quotes the event, with its routing key;
 * a proxy in front of a webhook quotes the URL with its token) must not put a configured secret into the stored
 * {@code lastError}, the API that shows it or the dispatcher's log line: every configured channel is built with the
 * configuration's {@code SecretRedactor}.
 */
class LastErrorRedactionTest {
    private static final String ROUTING_KEY = "R0UT1NGKEY5ecret0123456789abcdef";
    private static final String SLACK_PATH = "/services/T0ABCDEF1/B0GHIJKL2/xoxSlackWebhookSecret24";
    private static final String HOOK_TOKEN = "hookTokenS3cretValue";
    private static final String TEAMS_SIG = "teamsSigS3cretValue0123";
    @TempDir
    Path dir;

    @Test
    void echoedSecretsNeverReachLastErrorOrTheLog() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServer echo = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body ->
                        req.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                                .end(new JsonObject().put("status", "invalid event").put("uri", req.uri())
                                        .put("request", body.toString()).encode())))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + echo.actualPort();
        OpsGateConfig config = ConfigLoader.parse("""
                route:
                  receiver: team
                receivers:
                  - name: team
                    pagerduty_configs:
                      - routing_key: %2$s
                        url: %1$s/v2/enqueue
                    slack_configs:
                      - api_url: %1$s%3$s
                        send_resolved: true
                    webhook_configs:
                      - url: %1$s/hook?token=%4$s
                    msteamsv2_configs:
                      - webhook_url: %1$s/workflows/0a1b2c3d4e5f60718293a4b5c6d7e8f9/triggers/manual/paths/invoke?api-version=2016-06-01&sig=%5$s
                """.formatted(base, ROUTING_KEY, SLACK_PATH, HOOK_TOKEN, TEAMS_SIG), "cfg.yml", name -> null, null);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8));
        try (AlertDestinations destinations = AlertDestinations.create(vertx, config, Clock.systemUTC());
             GatewayHarness gw = new GatewayHarness(GatewayHarness.config(dir.resolve("alerts.db"), "token"),
                     destinations.router(), destinations.channelsByReceiver())) {
            gw.post(Webhooks.message("firing", Webhooks.alert("fp1", "firing",
                    Map.of("alertname", "Disk", "instance", "db:9100"), Instant.parse("2026-11-23T10:00:00Z"))));
            await().atMost(Duration.ofSeconds(20)).until(() -> failed(gw).size() == 4);
            JsonArray failed = failed(gw);
            for (int i = 0; i < failed.size(); i++) {
                String lastError = failed.getJsonObject(i).getString("lastError");
                assertThat(lastError).contains("HTTP 400: ").contains("<redacted>")
                        .doesNotContain(ROUTING_KEY, SLACK_PATH, "xoxSlackWebhookSecret24", HOOK_TOKEN, TEAMS_SIG);
            }
            assertThat(failed.stream().map(o -> ((JsonObject) o).getString("lastError")).toList())
                    .as("what the destination said is still there").anyMatch(e -> e.contains("invalid event"));
            await().atMost(Duration.ofSeconds(5)).until(() -> log.toString(StandardCharsets.UTF_8)
                    .split("failed for good", -1).length - 1 >= 4);
            String logged = log.toString(StandardCharsets.UTF_8);
            assertThat(logged).contains("<redacted>")
                    .doesNotContain(ROUTING_KEY, "xoxSlackWebhookSecret24", HOOK_TOKEN, TEAMS_SIG);
        } finally {
            System.setErr(stderr);
            echo.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static JsonArray failed(GatewayHarness gw) throws Exception {
        return gw.get("/api/v1/notifications?status=failed").getJsonArray("notifications");
    }

    /** Writes to the real stderr and to a buffer the test reads. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            synchronized (b) {
                b.write(bytes, off, len);
            }
        }
    }
}
