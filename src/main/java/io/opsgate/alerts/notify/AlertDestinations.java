package io.opsgate.alerts.notify;

import io.opsgate.aws.AwsClientFactory;
import io.opsgate.aws.AwsRequestMetrics;
import io.opsgate.build.BuildInfo;
import io.opsgate.alerts.routing.AlertRouter;
import io.opsgate.alerts.routing.RoutingTree;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.ConfigException;
import io.opsgate.config.OpsGateConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway core needs to turn an alert into deliveries, built once from the configuration: the
 * routing tree and, per receiver, its channels. Channel ids are {@code <receiver>/<type>[<index>]} (the index counts
 * the receiver's destinations of that type from 0), stable across restarts as long as the configuration keeps the
 * order, so an outbox row can name its destination. All channels share one {@link WebClient}; {@link #close()} it
 * on shutdown.
 */
public final class AlertDestinations implements AutoCloseable {
    private final AlertRouter router;
    private final Map<String, List<Channel>> byReceiver;
    private final Map<String, Channel> byId;
    private final WebClient client;
    /** What channels hold beyond the shared WebClient: mail connection pools, SNS clients. */
    private final List<AutoCloseable> owned;

    private AlertDestinations(AlertRouter router, Map<String, List<Channel>> byReceiver, WebClient client,
                              List<AutoCloseable> owned) {
        this.router = router;
        this.owned = List.copyOf(owned);
        this.byReceiver = byReceiver;
        this.client = client;
        Map<String, Channel> ids = new LinkedHashMap<>();
        byReceiver.values().forEach(channels -> channels.forEach(c -> ids.put(c.id(), c)));
        this.byId = Map.copyOf(ids);
    }

    /** Builds the router and every receiver's channels; matchers and templates were checked by {@code ConfigCheck}. */
    public static AlertDestinations create(Vertx vertx, OpsGateConfig config, Clock clock) {
        return create(vertx, config, clock, null);
    }

    /**
     * @param aws the service's AWS clients (credentials, endpoints, retry policy) for {@code sns_configs}; null to
     *            make a factory of our own from {@code config.aws()} when a receiver publishes to SNS
     */
    public static AlertDestinations create(Vertx vertx, OpsGateConfig config, Clock clock, AwsClientFactory aws) {
        WebClient client = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("OpsGate/" + BuildInfo.load().version())
                // A webhook that redirects is misconfigured; following it could leak the payload elsewhere.
                .setFollowRedirects(false));
        TemplateEngine plain = TemplateEngine.plain();
        SecretRedactor redactor = SecretRedactor.of(config);
        TemplateEngine slack = TemplateEngine.slack();
        TemplateEngine html = TemplateEngine.html();
        List<AutoCloseable> owned = new ArrayList<>();
        Map<String, List<Channel>> byReceiver = new LinkedHashMap<>();
        for (OpsGateConfig.Receiver r : config.receivers()) {
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < r.slack().size(); i++) {
                OpsGateConfig.SlackConfig c = r.slack().get(i);
                MessageTemplate title = template(slack, c.title(), "title");
                MessageTemplate text = template(slack, c.text(), "text");
                channels.add(c.botMode()
                        ? new SlackBotChannel(id(r, SlackChannel.TYPE, i), c, title, text, client, clock, redactor)
                        : new SlackChannel(id(r, SlackChannel.TYPE, i), c, title, text, client, clock, redactor));
            }
            for (int i = 0; i < r.webhooks().size(); i++) {
                OpsGateConfig.WebhookConfig c = r.webhooks().get(i);
                channels.add(new WebhookChannel(id(r, WebhookChannel.TYPE, i), c,
                        template(plain, c.title(), "title"), template(plain, c.text(), "text"), client, clock,
                        redactor));
            }
            for (int i = 0; i < r.pagerDuty().size(); i++) {
                OpsGateConfig.PagerDutyConfig c = r.pagerDuty().get(i);
                channels.add(new PagerDutyChannel(id(r, PagerDutyChannel.TYPE, i), c,
                        template(plain, c.title(), "pagerduty-summary"), template(plain, c.text(), "text"),
                        client, clock, redactor));
            }
            for (int i = 0; i < r.teams().size(); i++) {
                OpsGateConfig.TeamsConfig c = r.teams().get(i);
                channels.add(new TeamsChannel(id(r, TeamsChannel.TYPE, i), c,
                        template(plain, c.title(), "title"), template(plain, c.text(), "teams-text"), client, clock,
                        redactor));
            }
            for (int i = 0; i < r.email().size(); i++) {
                OpsGateConfig.EmailConfig c = r.email().get(i);
                EmailChannel email = new EmailChannel(id(r, EmailChannel.TYPE, i), c, plain.compile(c.to()),
                        plain.compile(c.from()), template(plain, c.subject(), "title"),
                        template(html, c.html(), "email-html"), template(plain, c.text(), "text"), vertx, redactor);
                owned.add(email);
                channels.add(email);
            }
            for (int i = 0; i < r.sns().size(); i++) {
                OpsGateConfig.SnsConfig c = r.sns().get(i);
                if (aws == null) {
                    aws = new AwsClientFactory(config.aws(), 4, new AwsRequestMetrics(new PrometheusRegistry()));
                    owned.add(aws);
                }
                channels.add(new SnsChannel(id(r, SnsChannel.TYPE, i), c, template(plain, c.subject(), "title"),
                        template(plain, c.message(), "text"), aws.snsClient(c.region(), c.roleArn(), c.externalId()),
                        vertx, redactor));
            }
            for (int i = 0; i < r.log().size(); i++) {
                OpsGateConfig.LogConfig c = r.log().get(i);
                channels.add(new LogChannel(id(r, LogChannel.TYPE, i), c, template(plain, c.text(), "log")));
            }
            byReceiver.put(r.name(), List.copyOf(channels));
        }
        RoutingTree tree;
        try {
            tree = RoutingTree.compile(config.route());
        } catch (ConfigException e) {
            // ConfigCheck reports this before the service starts; only a caller that skipped it gets here.
            client.close();
            owned.forEach(AlertDestinations::closeQuietly);
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new AlertDestinations(tree, Map.copyOf(byReceiver), client, owned);
    }

    private static String id(OpsGateConfig.Receiver receiver, String type, int index) {
        return receiver.name() + "/" + type + "[" + index + "]";
    }

    private static MessageTemplate template(TemplateEngine engine, String configured, String shipped) {
        return configured != null ? engine.compile(configured) : engine.shipped(shipped);
    }

    public AlertRouter router() {
        return router;
    }

    /** Receiver name → its channels, in configuration order; a receiver without destinations maps to an empty list. */
    public Map<String, List<Channel>> channelsByReceiver() {
        return byReceiver;
    }

    /** The channel with {@link Channel#id()} {@code id}, e.g. to deliver an outbox row; empty once it was removed from the config. */
    public Optional<Channel> channel(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public void close() {
        client.close();
        owned.forEach(AlertDestinations::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down: nothing useful to do with a failure
        }
    }
}
