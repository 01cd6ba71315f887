package io.opsgate.config;

import io.opsgate.alerts.routing.RouteNode;
import io.opsgate.discovery.DiscoveryKind;
import io.opsgate.http.RequestAuth;
import io.opsgate.discovery.SdQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole validated configuration. Built by {@link ConfigLoader}; every collection is immutable and
 * every optional section already carries its defaults, so consumers never null-check.
 */
public record OpsGateConfig(
        Server server,
        Collection collection,
        Aws aws,
        List<Account> accounts,
        RouteNode route,
        List<Receiver> receivers,
        Alerts alerts,
        Discovery discovery) {

    /**
     * Prometheus http_sd endpoints.
     *
     * @param kinds which inventories are read each cycle and served under {@code /sd/<kind>}
     * @param jobs  named queries served under {@code /sd/jobs/<name>}, in config order
     * @param auth  credentials the endpoints require, or {@link RequestAuth#NONE}
     */
    public record Discovery(Set<DiscoveryKind> kinds, Map<String, SdQuery> jobs, RequestAuth auth) {
        public static final Discovery DEFAULT = new Discovery(Set.of(DiscoveryKind.EC2), Map.of(), RequestAuth.NONE);
    }

    /** The same configuration listening elsewhere (the command line's {@code --listen} wins over the file). */
    public OpsGateConfig withServer(Server newServer) {
        return new OpsGateConfig(newServer, collection, aws, accounts, route, receivers, alerts, discovery);
    }

    public OpsGateConfig withAlerts(Alerts newAlerts) {
        return new OpsGateConfig(server, collection, aws, accounts, route, receivers, newAlerts, discovery);
    }

    public record Server(String listenHost, int listenPort) {
        public static final Server DEFAULT = new Server("0.0.0.0", 9108);

        /** The host as it goes into a URL or HOST:PORT: IPv6 in brackets. */
        public String urlHost() {
            return listenHost.contains(":") ? "[" + listenHost + "]" : listenHost;
        }
    }

    /**
     * @param interval    time between the starts of two cycles of one (account, region)
     * @param timeout     a cycle running longer than this is abandoned and counted as a failure
     * @param jitter      fraction (0..1) of the interval used to spread the first run of each (account, region)
     * @param collectors  which collectors run (see {@link CollectorName})
     * @param cloudWatchPeriod   GetMetricData period
     * @param cloudWatchWindow   trailing window queried; the newest datapoint inside it wins
     * @param concurrency        how many AWS calls may be in flight at once across all targets
     */
    public record Collection(
            Duration interval,
            Duration timeout,
            double jitter,
            Set<CollectorName> collectors,
            Duration cloudWatchPeriod,
            Duration cloudWatchWindow,
            int concurrency) {
    }

    /**
     * Settings that apply to every AWS client.
     *
     * @param regions        default regions for accounts that do not list their own
     * @param endpoints      per-service endpoint override, keyed by service ("ec2", "cloudwatch", "sts", "rds",
     *                       "elasticloadbalancing" for ELBv2)
     * @param credentials    static base credentials, or null to use the SDK's default chain
     * @param maxAttempts    attempts per AWS call, first try included
     * @param baseDelay      base of the exponential backoff for ordinary retryable errors
     * @param throttlingBaseDelay base of the exponential backoff after a throttling error
     * @param maxBackoff     cap of one backoff
     * @param apiCallTimeout total time one API call may take, retries included
     */
    public record Aws(
            List<String> regions,
            Map<String, String> endpoints,
            StaticCredentials credentials,
            int maxAttempts,
            Duration baseDelay,
            Duration throttlingBaseDelay,
            Duration maxBackoff,
            Duration apiCallTimeout) {
    }

    public record StaticCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "StaticCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }

    /**
     * One AWS account to watch.
     *
     * @param name       a human name, used in logs only; unique; defaults to the id, else "default"
     * @param id         the 12-digit account id; {@link ConfigLoader} fills it from roleArn, so it is null only when
     *                   neither is configured; then ask STS GetCallerIdentity
     * @param roleArn    role to assume, or null to use the base credentials directly
     * @param externalId external id for the AssumeRole call, or null
     * @param regions    the regions of this account (already defaulted from {@link Aws#regions()})
     */
    public record Account(String name, String id, String roleArn, String externalId, List<String> regions) {
        @Override
        public String toString() {
            return "Account[name=" + name + ", id=" + id + ", roleArn=" + roleArn
                    + ", externalId=" + (externalId == null ? null : "***") + ", regions=" + regions + "]";
        }
    }

    /**
     * A named set of destinations, as in Alertmanager's {@code receivers}. One without any destination drops what is
     * routed to it.
     */
    public record Receiver(String name, List<SlackConfig> slack, List<WebhookConfig> webhooks,
                           List<PagerDutyConfig> pagerDuty, List<LogConfig> log) {
        public Receiver {
            slack = List.copyOf(slack);
            webhooks = List.copyOf(webhooks);
            pagerDuty = List.copyOf(pagerDuty);
            log = List.copyOf(log);
        }
    }

    /**
     * What every destination has.
     *
     * @param sendResolved whether resolved alerts are sent (Alertmanager's defaults: Slack no, webhook and PagerDuty yes)
     * @param rateLimit    messages per second the dispatcher may send; empty for no limit
     * @param timeout      one HTTP request may take at most this long
     */
    public record Delivery(boolean sendResolved, Optional<Double> rateLimit, Duration timeout) {
    }

    /**
     * @param apiUrl  the incoming webhook URL (a secret)
     * @param channel overrides the webhook's default channel; null to keep it
     * @param title   template source; null for the shipped default
     * @param text    template source; null for the shipped default
     */
    public record SlackConfig(String apiUrl, String channel, String title, String text, Delivery delivery) {
        @Override
        public String toString() {
            return "SlackConfig[apiUrl=***, channel=" + channel + ", delivery=" + delivery + "]";
        }
    }

    /**
     * @param url        where the JSON is POSTed (may carry a token, so it is not printed)
     * @param hmacSecret key of the {@code X-OpsGate-Signature} header; null for no signature
     * @param maxAlerts  Alertmanager's {@code max_alerts}: at most this many alerts per message, the rest counted in
     *                   {@code truncatedAlerts}; 0 for all
     */
    public record WebhookConfig(String url, String hmacSecret, String title, String text, Delivery delivery,
                                int maxAlerts) {
        public WebhookConfig(String url, String hmacSecret, String title, String text, Delivery delivery) {
            this(url, hmacSecret, title, text, delivery, 0);
        }

        @Override
        public String toString() {
            return "WebhookConfig[url=***, hmacSecret=" + (hmacSecret == null ? null : "***")
                    + ", delivery=" + delivery + ", maxAlerts=" + maxAlerts + "]";
        }
    }

    /**
     * @param routingKey the Events v2 integration key (a secret)
     * @param url        the Events v2 enqueue endpoint
     * @param severity   fixed PagerDuty severity (critical, error, warning, info); null to map the alert's
     *                   {@code severity} label
     * @param title      template of the event summary (per alert); null for the shipped default
     * @param text       template of {@code custom_details.details} (per alert); null for the shipped default
     */
    public record PagerDutyConfig(String routingKey, String url, String severity, String title, String text,
                                  Delivery delivery) {
        @Override
        public String toString() {
            return "PagerDutyConfig[routingKey=***, url=" + url + ", severity=" + severity + ", delivery=" + delivery + "]";
        }
    }

    /** @param text template of one log line per alert; null for the shipped default */
    public record LogConfig(String text, Delivery delivery) {
    }

    /**
     * The Alertmanager webhook gateway ({@code POST /hooks/alertmanager}); off unless the {@code alerts} section
     * is present. Routes and receivers have their own sections.
     *
     * @param bearerToken    accepted {@code Authorization: Bearer} token, or null
     * @param basicUsername  accepted basic-auth user, or null (then basicPassword is null too)
     * @param maxBodyBytes   larger webhook bodies are refused with 413
     * @param storePath      the SQLite file holding alert state and the outbox
     * @param initialBackoff ceiling of the first retry delay (exponential backoff with full jitter)
     * @param maxBackoff     ceiling of any retry delay
     * @param maxAge         a notification undelivered this long after it was created fails for good
     * @param concurrency    deliveries in flight at once
     */
    public record Alerts(boolean enabled, String bearerToken, String basicUsername, String basicPassword,
                         long maxBodyBytes, java.nio.file.Path storePath, Duration initialBackoff,
                         Duration maxBackoff, Duration maxAge, int concurrency) {
        public Alerts withBearerToken(String token) {
            return new Alerts(enabled, token, basicUsername, basicPassword, maxBodyBytes, storePath, initialBackoff,
                    maxBackoff, maxAge, concurrency);
        }

        @Override
        public String toString() {
            return "Alerts[enabled=" + enabled + ", bearerToken=" + (bearerToken == null ? null : "***")
                    + ", basicUsername=" + basicUsername + ", basicPassword=" + (basicPassword == null ? null : "***")
                    + ", maxBodyBytes=" + maxBodyBytes + ", storePath=" + storePath + ", initialBackoff="
                    + initialBackoff + ", maxBackoff=" + maxBackoff + ", maxAge=" + maxAge + ", concurrency="
                    + concurrency + "]";
        }
    }
}
