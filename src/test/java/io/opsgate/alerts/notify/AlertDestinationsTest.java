package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** From configuration to delivered messages: the factory the gateway core calls. */
class AlertDestinationsTest {
    @Test
    void buildsTheRouterAndEveryReceiversChannels() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (HttpSink sink = HttpSink.start(vertx)) {
            OpsGateConfig config = ConfigLoader.parse("""
                    route:
                      receiver: ops
                      routes:
                        - matchers: ['severity="critical"']
                          receiver: pager
                          continue: true
                        - matchers: ['severity=~"critical|warning"']
                          receiver: ops
                    receivers:
                      - name: ops
                        slack_configs:
                          - api_url: %1$s/slack
                        webhook_configs:
                          - url: %1$s/hook-a
                            title: 'custom {{ status }} {{ alerts | length }}'
                          - url: %1$s/hook-b
                            rate_limit: 5
                        log_configs:
                          - {}
                      - name: pager
                        pagerduty_configs:
                          - routing_key: key
                            url: %1$s/pd
                      - name: nowhere
                    """.formatted(sink.url("")), "cfg.yml", name -> null, null);
            try (AlertDestinations destinations = AlertDestinations.create(vertx, config, Clock.systemUTC())) {
                Map<String, List<Channel>> byReceiver = destinations.channelsByReceiver();
                assertThat(byReceiver.keySet()).containsExactlyInAnyOrder("ops", "pager", "nowhere");
                assertThat(byReceiver.get("ops")).extracting(Channel::id)
                        .containsExactly("ops/slack[0]", "ops/webhook[0]", "ops/webhook[1]", "ops/log[0]");
                assertThat(byReceiver.get("ops")).extracting(Channel::type)
                        .containsExactly("slack", "webhook", "webhook", "log");
                assertThat(byReceiver.get("ops")).extracting(Channel::rateLimit).extracting(o -> o.orElse(null))
                        .containsExactly(1.0, null, 5.0, null);
                assertThat(byReceiver.get("ops")).extracting(Channel::sendResolved)
                        .containsExactly(false, true, true, true);
                assertThat(byReceiver.get("pager")).extracting(Channel::id).containsExactly("pager/pagerduty[0]");
                assertThat(byReceiver.get("nowhere")).isEmpty();
                assertThat(destinations.channel("ops/webhook[1]")).containsSame(byReceiver.get("ops").get(2));
                assertThat(destinations.channel("ops/webhook[9]")).isEmpty();

                Alert critical = instanceDown("db:9100");
                List<RouteMatch> routes = destinations.router().route(critical.labels());
                assertThat(routes).extracting(RouteMatch::routeId).containsExactly("0.0", "0.1");
                assertThat(routes).extracting(RouteMatch::receivers).containsExactly(List.of("pager"), List.of("ops"));

                for (RouteMatch route : routes) {
                    for (String receiver : route.receivers()) {
                        for (Channel channel : byReceiver.get(receiver)) {
                            Notification n = new Notification(1, route.routeId(), receiver, channel.id(), "g",
                                    AlertStatus.FIRING, List.of(critical), Map.of(), critical.labels(), Map.of(), "",
                                    Fixtures.START, 0);
                            assertThat(await(channel.deliver(n))).as(channel.id())
                                    .isInstanceOf(DeliveryOutcome.Delivered.class);
                        }
                    }
                }
                assertThat(sink.received()).extracting(HttpSink.Received::path)
                        .containsExactlyInAnyOrder("/pd", "/slack", "/hook-a", "/hook-b");
                JsonObject hookA = sink.received().stream().filter(r -> r.path().equals("/hook-a")).findFirst()
                        .orElseThrow().body().toJsonObject();
                assertThat(hookA.getString("title")).isEqualTo("custom firing 1");
            }
        } finally {
            await(vertx.close());
        }
    }
}
