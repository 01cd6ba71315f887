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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case of the report, through the whole gateway: Alertmanager posts one InstanceDown group of 5,000 alerts,
 * the gateway answers 200, and every destination then receives it once, within its limits, instead of the old
 * permanent {@code template error: Tried to write more than 262144 chars}.
 */
class LargeGroupGatewayTest {
    private static final int GROUP = 5000;
    @TempDir
    Path dir;

    @Test
    void aGroupOf5000AlertsAcceptedByTheWebhookReachesEveryDestination() throws Exception {
        Vertx vertx = Vertx.vertx();
        Map<String, List<JsonObject>> received = new ConcurrentHashMap<>();
        HttpServer sink = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                    received.computeIfAbsent(req.path(), p -> new CopyOnWriteArrayList<>()).add(body.toJsonObject());
                    req.response().setStatusCode(200).end("ok");
                }))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        OpsGateConfig config = ConfigLoader.parse("""
                route:
                  receiver: team
                  group_by: [alertname]
                receivers:
                  - name: team
                    slack_configs:
                      - api_url: http://127.0.0.1:%1$d/services/T0/B0/secret
                    webhook_configs:
                      - url: http://127.0.0.1:%1$d/hook
                """.formatted(sink.actualPort()), "cfg.yml", name -> null, null);
        OpsGateConfig.Alerts alerts = new OpsGateConfig.Alerts(true, "token", null, null, 16 << 20,
                dir.resolve("alerts.db"), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(10), 16);
        JsonArray group = new JsonArray();
        Instant start = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < GROUP; i++) {
            String instance = "ip-10-0-" + (i / 256) + "-" + (i % 256) + ".eu-west-1.compute.internal:9100";
            group.add(new JsonObject().put("status", "firing")
                    .put("labels", new JsonObject().put("alertname", "InstanceDown").put("instance", instance)
                            .put("job", "node").put("severity", "critical").put("env", "production"))
                    .put("annotations", new JsonObject().put("summary", "Instance " + instance + " down")
                            .put("description", instance + " of job node has been down for more than 5 minutes.")
                            .put("runbook_url", "https://runbooks.example.com/node/InstanceDown.md"))
                    .put("startsAt", start.plusSeconds(i % 60).toString())
                    .put("endsAt", "0001-01-01T00:00:00Z")
                    .put("generatorURL", "http://prometheus:9090/graph?g0.expr=up+%3D%3D+0")
                    .put("fingerprint", String.format("%016x", i + 1)));
        }
        JsonObject message = Webhooks.message("firing").put("alerts", group)
                .put("groupKey", "{}:{alertname=\"InstanceDown\"}")
                .put("groupLabels", new JsonObject().put("alertname", "InstanceDown"));
        try (AlertDestinations destinations = AlertDestinations.create(vertx, config, Clock.systemUTC());
             GatewayHarness gw = new GatewayHarness(alerts, destinations.router(), destinations.channelsByReceiver())) {
            assertThat(gw.post(message).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey("/hook")
                    && received.containsKey("/services/T0/B0/secret"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sent(gw).size() == 2);
            assertThat(received.get("/hook")).singleElement().satisfies(body -> {
                assertThat(body.getJsonArray("alerts")).hasSize(GROUP);
                assertThat(body.getInteger("truncatedAlerts")).isZero();
                assertThat(body.getString("title")).isEqualTo("[FIRING:5000] InstanceDown");
                assertThat(body.getString("text")).matches("(?s).*\\n… and [\\d,]+ more alerts");
            });
            assertThat(received.get("/services/T0/B0/secret")).singleElement().satisfies(payload -> {
                JsonArray blocks = payload.getJsonArray("attachments").getJsonObject(0).getJsonArray("blocks");
                assertThat(blocks.size()).isLessThanOrEqualTo(50);
                assertThat(blocks.encode()).contains("more alerts");
            });
        } finally {
            sink.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static JsonArray sent(GatewayHarness gw) throws Exception {
        return gw.get("/api/v1/notifications?status=sent").getJsonArray("notifications");
    }
}
