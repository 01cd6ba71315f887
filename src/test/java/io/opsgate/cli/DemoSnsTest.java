package io.opsgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.alerts.AlertsService;
import io.opsgate.alerts.notify.AlertDestinations;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.sim.SnsMessage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The demo's configuration as {@code opsgate demo} builds it, with its simulator: an alert posted to the gateway is
 * published to the simulator's SNS topic (through the demo-prod role), and the admin API lists it.
 */
class DemoSnsTest {
    @Test
    void anAlertPostedToTheDemoReachesTheSimulatorsSnsTopic() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpClient http = HttpClient.newHttpClient();
        AwsSimulator sim = AwsSimulator.start(vertx, SimulatorOptions.defaults().withFleetSize(2, 2)
                .withAdmin("127.0.0.1", 0)).toCompletionStage().toCompletableFuture().get();
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs();
        OpsGateConfig config = demo.demoConfig(sim.endpoint());
        AlertDestinations destinations = AlertDestinations.create(vertx, config, Clock.systemUTC());
        AlertsService alerts = AlertsService.create(vertx, config.alerts(), destinations.router(),
                destinations.channelsByReceiver(), new PrometheusRegistry(), Clock.systemUTC());
        Router router = Router.router(vertx);
        alerts.mount(router);
        HttpServer server = null;
        try {
            alerts.start().toCompletionStage().toCompletableFuture().get();
            server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get();
            // the banner's test alert
            String body = new JsonObject().put("version", "4").put("status", "firing").put("receiver", "demo")
                    .put("groupKey", "demo").put("alerts", new JsonArray().add(new JsonObject()
                            .put("status", "firing")
                            .put("labels", new JsonObject().put("alertname", "DemoDiskFull").put("instance", "i-0abc")
                                    .put("severity", "critical"))
                            .put("annotations", new JsonObject().put("summary", "posted by hand"))
                            .put("startsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()))).encode();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.actualPort() + "/hooks/alertmanager")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> !sim.snsMessages().isEmpty());
            List<SnsMessage> published = sim.snsMessages();
            assertThat(published).singleElement().satisfies(m -> {
                assertThat(m.topicArn()).isEqualTo("arn:aws:sns:us-east-1:111111111111:opsgate-alerts");
                assertThat(m.accountId()).as("published as the demo-prod role").isEqualTo("111111111111");
                assertThat(m.subject()).contains("DemoDiskFull");
                assertThat(m.attributes()).containsEntry("severity", "critical").containsEntry("status", "firing");
            });
            JsonObject listed = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(sim.adminEndpoint()
                    + "/sns/messages")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(listed.getJsonArray("messages")).hasSize(1);
            assertThat(listed.getJsonArray("messages").getJsonObject(0).getString("subject"))
                    .isEqualTo(published.get(0).subject());
        } finally {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get();
            }
            alerts.stop().toCompletionStage().toCompletableFuture().get();
            destinations.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
