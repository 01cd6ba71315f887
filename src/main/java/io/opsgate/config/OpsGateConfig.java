package io.opsgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration as plain records. Built by {@link ConfigLoader}; every collection is immutable and
 * every optional section already carries its defaults, so consumers never null-check. Values whose syntax belongs to
 * another package (route matchers, templates, http_sd job parameters) are kept as text with their {@link Origins};
 * {@code io.opsgate.ConfigCheck} has each owning package validate them.
 *
 * @param warnings one line each, with file, line, column and key: deprecated forms that were still accepted
 */
public record OpsGateConfig(
        Server server,
        Collection collection,
        Aws aws,
        List<Account> accounts,
        RouteConfig route,
        List<Receiver> receivers,
        Alerts alerts,
        Discovery discovery,
        List<String> warnings) {

    public OpsGateConfig {
        warnings = List.copyOf(warnings);
    }

    /**
     * Prometheus http_sd endpoints.
     *
     * @param kinds which inventories are read each cycle and served under {@code /sd/<kind>}
     * @param jobs  named queries served under {@code /sd/jobs/<name>}, in config order
     * @param auth  credentials the endpoints require, or {@link AuthConfig#NONE}
     */
    public record Discovery(Set<DiscoveryKind> kinds, Map<String, SdJob> jobs, AuthConfig auth) {
        public static final Discovery DEFAULT = new Discovery(Set.of(DiscoveryKind.EC2), Map.of(), AuthConfig.NONE);
    }

    /** The same configuration listening elsewhere (the command line's {@code --listen} wins over the file). */
    public OpsGateConfig withServer(Server newServer) {
        return new OpsGateConfig(newServer, collection, aws, accounts, route, receivers, alerts, discovery, warnings);
    }

    public OpsGateConfig withAlerts(Alerts newAlerts) {
        return new OpsGateConfig(server, collection, aws, accounts, route, receivers, newAlerts, discovery, warnings);
    }

    /**
     * @param limits      what keeps the HTTP server answering under slow, idle and oversized clients
     * @param metricsAuth credentials {@code /metrics} requires, or {@link AuthConfig#NONE}
     */
    public record Server(String listenHost, int listenPort, HttpLimits limits, AuthConfig metricsAuth) {
        public static final Server DEFAULT = new Server("0.0.0.0", 9108);

        public Server {
            metricsAuth = metricsAuth == null ? AuthConfig.NONE : metricsAuth;
        }

        /** The address with the default limits and no credentials (the command line's {@code --listen}). */
        public Server(String listenHost, int listenPort) {
            this(listenHost, listenPort, HttpLimits.DEFAULT, AuthConfig.NONE);
        }

        public Server withLimits(HttpLimits newLimits) {
            return new Server(listenHost, listenPort, newLimits, metricsAuth);
        }

        /** This server's settings at another's address: {@code --listen} replaces the address, nothing else. */
        public Server withAddressOf(Server other) {
            return new Server(other.listenHost, other.listenPort, limits, metricsAuth);
        }

        /** The host as it goes into a URL or HOST:PORT: IPv6 in brackets. */
        public String urlHost() {
            return listenHost.contains(":") ? "[" + listenHost + "]" : listenHost;
        }
    }

    /**
     * HTTP server limits ({@code server.*} keys).
     *
     * @param idleTimeout          a keep-alive connection with no request under way, or one on which no byte moves
     *                             either way, is closed after this
     * @param requestHeaderTimeout the request line and headers must have arrived this long after the connection opened
     * @param requestBodyTimeout   a request's body must have arrived this long after its headers
     * @param maxConnections       open connections at most; beyond it the oldest idle one is closed for a new one
     * @param maxInflightBodyBytes request body bytes held at once across all connections
     */
    public record HttpLimits(Duration idleTimeout, Duration requestHeaderTimeout, Duration requestBodyTimeout,
                             int maxConnections, long maxInflightBodyBytes) {
        public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofMinutes(2), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 512, 16L << 20);
    }

    /**
     * @param interval    time between the starts of two cycles of one (account, region)
     * @param timeout     a cycle's deadline: past it no new AWS call starts, CloudWatch calls in flight are
     *                    abandoned (an inventory call under way runs to its end, bounded by the API call timeout), and
     *                    the collectors it stops fail, keeping their previous data
     * @param jitter      fraction (0..1) of the interval used to spread the first run of each (account, region)
     * @param collectors  which collectors run (see {@link CollectorName})
     * @param cloudWatchPeriod   GetMetricData period
     * @param cloudWatchWindow   trailing window queried; the newest datapoint inside it wins
     * @param concurrency        how many (account, region) cycles run at once
     * @param cloudWatchConcurrency how many GetMetricData calls one (account, region) cycle has in flight at once
     * @param costAware          which CloudWatch queries are worth requesting in a cycle
     * @param requiredTags       tag keys the {@code tags} collector requires on every resource (case-sensitive, as AWS)
     */
    public record Collection(
            Duration interval,
            Duration timeout,
            double jitter,
            Set<CollectorName> collectors,
            Duration cloudWatchPeriod,
            Duration cloudWatchWindow,
            int concurrency,
            int cloudWatchConcurrency,
            Quotas quotas,
            Snapshots snapshots,
            CostAware costAware, List<String> requiredTags, Route53 route53, Elbv2Targets elbv2Targets) {
        public Collection {
            requiredTags = List.copyOf(requiredTags);
        }

        /** The settings with the ELBv2 target-health section at its defaults. */
        public Collection(Duration interval, Duration timeout, double jitter, Set<CollectorName> collectors,
                          Duration cloudWatchPeriod, Duration cloudWatchWindow, int concurrency,
                          int cloudWatchConcurrency, Quotas quotas, Snapshots snapshots, CostAware costAware,
                          List<String> requiredTags, Route53 route53) {
            this(interval, timeout, jitter, collectors, cloudWatchPeriod, cloudWatchWindow, concurrency,
                    cloudWatchConcurrency, quotas, snapshots, costAware, requiredTags, route53, Elbv2Targets.DEFAULT);
        }

        /** The settings with the Route 53 section at its defaults. */
        public Collection(Duration interval, Duration timeout, double jitter, Set<CollectorName> collectors,
                          Duration cloudWatchPeriod, Duration cloudWatchWindow, int concurrency,
                          int cloudWatchConcurrency, Quotas quotas, Snapshots snapshots, CostAware costAware,
                          List<String> requiredTags) {
            this(interval, timeout, jitter, collectors, cloudWatchPeriod, cloudWatchWindow, concurrency,
                    cloudWatchConcurrency, quotas, snapshots, costAware, requiredTags, Route53.DEFAULT);
        }

        /** The settings without the quota, snapshot, cost-aware and required-tags sections (their defaults). */
        public Collection(Duration interval, Duration timeout, double jitter, Set<CollectorName> collectors,
                          Duration cloudWatchPeriod, Duration cloudWatchWindow, int concurrency,
                          int cloudWatchConcurrency) {
            this(interval, timeout, jitter, collectors, cloudWatchPeriod, cloudWatchWindow, concurrency,
                    cloudWatchConcurrency, Quotas.DEFAULT, Snapshots.DEFAULT, CostAware.DEFAULT,
                    Defaults.REQUIRED_TAGS);
        }
    }


    /**
     * Cost-aware CloudWatch polling ({@code collection.cloudwatch.cost_aware}).
     *
     * @param enabled               false: every query is requested every cycle
     * @param burstBalanceThreshold BurstBalance ratio (0-1) below which a volume is low and read at every new
     *                              datapoint; the same as the EBSBurstBalanceLow alert
     * @param cpuCreditThreshold    CPU credits below which a standard-mode instance is low; as EC2CPUCreditBalanceLow
     * @param maxInterval           the longest a bucket metric goes unread, whatever its physics allows
     * @param publicationDelay      how long after a period ends CloudWatch has its datapoint: new periods are
     *                              counted from period end plus this delay
     * @param pricePer1000Metrics   dollars per 1,000 metrics requested, for the estimated cost
     */
    public record CostAware(boolean enabled, double burstBalanceThreshold, double cpuCreditThreshold,
                            Duration maxInterval, Duration publicationDelay, double pricePer1000Metrics) {
        public static final CostAware DEFAULT = new CostAware(true, 0.2, 20, Duration.ofHours(1),
                Duration.ofMinutes(1), 0.01);

        public CostAware withEnabled(boolean on) {
            return new CostAware(on, burstBalanceThreshold, cpuCreditThreshold, maxInterval, publicationDelay,
                    pricePer1000Metrics);
        }
    }

    /**
     * {@code collection.quotas}: which services' quotas are listed and how often. Usage is read every cycle; the
     * limits (ListServiceQuotas) only every {@code interval}.
     */
    public record Quotas(List<String> serviceCodes, Duration interval) {
        public static final Quotas DEFAULT = new Quotas(
                List.of("ec2", "ebs", "vpc", "elasticloadbalancing"), Duration.ofHours(1));

        public Quotas {
            serviceCodes = List.copyOf(serviceCodes);
        }
    }

    /**
     * {@code collection.route53}: the Route 53 API allows 5 requests per second per account, shared by every tool
     * that calls it.
     *
     * @param requestsPerSecond the pace of OpsGate's own Route 53 calls (at most 5, lower to leave room for others)
     * @param statusBudget      GetHealthCheckStatus calls per cycle at most (per-region observations of failing
     *                          checks and of checks without a HealthCheckStatus datapoint); 0 turns them off
     */
    public record Route53(double requestsPerSecond, int statusBudget) {
        public static final Route53 DEFAULT = new Route53(5, 50);
    }

    /**
     * {@code collection.elbv2_targets}: DescribeTargetHealth takes one target group per call. ELBv2 throttles its
     * Describe* actions per account and Region with a token bucket of 40 requests refilled at 10 a second, shared by
     * every caller but AWS's own services (Elastic Load Balancing User Guide, "Request throttling for the ELB API").
     *
     * @param concurrency       DescribeTargetHealth calls one (account, region) has in flight at once
     * @param requestsPerSecond the pace of OpsGate's ELBv2 calls in one (account, region), with a burst of 4 seconds'
     *                          worth (the ratio of AWS's bucket: 40 at 10 a second); lower it to leave room for other
     *                          callers, raise it only if AWS raised the account's limit
     */
    public record Elbv2Targets(int concurrency, double requestsPerSecond) {
        public static final Elbv2Targets DEFAULT = new Elbv2Targets(4, 10);
    }

    /** {@code collection.snapshots}: how often the account's own EBS snapshots are listed. */
    public record Snapshots(Duration interval) {
        public static final Snapshots DEFAULT = new Snapshots(Duration.ofHours(1));
    }

    /**
     * Settings that apply to every AWS client.
     *
     * @param regions        default regions for accounts that do not list their own
     * @param endpoints      per-service endpoint override, keyed by service ("ec2", "cloudwatch", "sts", "rds",
     *                       "elasticloadbalancing" for ELBv2, "servicequotas", "route53", "sns" for sns_configs)
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
                           List<PagerDutyConfig> pagerDuty, List<LogConfig> log, List<TeamsConfig> teams,
                           List<EmailConfig> email, List<SnsConfig> sns) {
        public Receiver {
            slack = List.copyOf(slack);
            webhooks = List.copyOf(webhooks);
            pagerDuty = List.copyOf(pagerDuty);
            log = List.copyOf(log);
            teams = List.copyOf(teams);
            email = List.copyOf(email);
            sns = List.copyOf(sns);
        }

        /** A receiver without Teams, email or SNS destinations. */
        public Receiver(String name, List<SlackConfig> slack, List<WebhookConfig> webhooks,
                        List<PagerDutyConfig> pagerDuty, List<LogConfig> log) {
            this(name, slack, webhooks, pagerDuty, log, List.of(), List.of(), List.of());
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
     * A Slack destination: an incoming webhook ({@code apiUrl}), or a bot ({@code botToken} with {@code channel}),
     * which keeps one message per alert group and edits it as the group changes.
     *
     * @param apiUrl    the incoming webhook URL (a secret); null in bot mode
     * @param channel   overrides the webhook's default channel; null to keep it. In bot mode the channel posted to
     *                  (required; a channel id such as {@code C0123ABCD} lets a lost answer be found again)
     * @param title     template source; null for the shipped default
     * @param text      template source; null for the shipped default
     * @param at        where {@code title} and {@code text} are in the file
     * @param botToken  the bot token ({@code xoxb-...}, a secret); null for webhook mode
     * @param webApiUrl base URL of Slack's Web API in bot mode, ending in {@code /}
     */
    public record SlackConfig(String apiUrl, String channel, String title, String text, Delivery delivery,
                              Origins at, String botToken, String webApiUrl) {
        public SlackConfig(String apiUrl, String channel, String title, String text, Delivery delivery) {
            this(apiUrl, channel, title, text, delivery, Origins.NONE);
        }

        public SlackConfig(String apiUrl, String channel, String title, String text, Delivery delivery,
                           Origins at) {
            this(apiUrl, channel, title, text, delivery, at, null, null);
        }

        /** Whether this destination posts through the Web API with a bot token (else: an incoming webhook). */
        public boolean botMode() {
            return botToken != null;
        }

        @Override
        public String toString() {
            return "SlackConfig[" + (botMode() ? "botToken=***, webApiUrl=" + webApiUrl : "apiUrl=***")
                    + ", channel=" + channel + ", delivery=" + delivery + "]";
        }
    }

    /**
     * @param url        where the JSON is POSTed (may carry a token, so it is not printed)
     * @param hmacSecret key of the {@code X-OpsGate-Signature} header; null for no signature
     * @param maxAlerts  Alertmanager's {@code max_alerts}: at most this many alerts per message, the rest counted in
     *                   {@code truncatedAlerts}; 0 for all
     */
    public record WebhookConfig(String url, String hmacSecret, String title, String text, Delivery delivery,
                                Origins at, int maxAlerts) {
        public WebhookConfig(String url, String hmacSecret, String title, String text, Delivery delivery) {
            this(url, hmacSecret, title, text, delivery, Origins.NONE, 0);
        }

        public WebhookConfig(String url, String hmacSecret, String title, String text, Delivery delivery,
                             Origins at) {
            this(url, hmacSecret, title, text, delivery, at, 0);
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
                                  Delivery delivery, Origins at) {
        public PagerDutyConfig(String routingKey, String url, String severity, String title, String text,
                               Delivery delivery) {
            this(routingKey, url, severity, title, text, delivery, Origins.NONE);
        }

        @Override
        public String toString() {
            return "PagerDutyConfig[routingKey=***, url=" + url + ", severity=" + severity + ", delivery=" + delivery + "]";
        }
    }

    /**
     * Microsoft Teams through a Workflows ("Post to a channel when a webhook request is received") webhook.
     *
     * @param webhookUrl the workflow's HTTP trigger URL (its {@code sig} query parameter is a secret)
     * @param title      template of the card's heading; null for the shipped default
     * @param text       template of the card's body (Adaptive Card markdown); null for the shipped default
     */
    public record TeamsConfig(String webhookUrl, String title, String text, Delivery delivery, Origins at) {
        @Override
        public String toString() {
            return "TeamsConfig[webhookUrl=***, delivery=" + delivery + "]";
        }
    }

    /** How an email destination uses STARTTLS: refuse a server without it, use it when offered, never. */
    public enum StartTls { REQUIRED, OPTIONAL, NONE }

    /**
     * Email over SMTP. {@code to}, {@code from}, {@code subject}, {@code html} and {@code text} are templates
     * (null for the shipped default of the last three).
     *
     * @param to                 comma-separated recipients (template)
     * @param host               the smarthost's name
     * @param hello              the name sent in EHLO; null for this machine's name
     * @param username           SMTP AUTH user; null for no authentication
     * @param password           SMTP AUTH password (a secret)
     * @param caFile             PEM file of the CAs that sign the server's certificate; null for the JVM's
     * @param insecureSkipVerify accept any server certificate (tests, lab servers)
     */
    public record EmailConfig(String to, String from, String host, int port, String hello, StartTls startTls,
                              String username, String password, String caFile, boolean insecureSkipVerify,
                              String subject, String html, String text, Delivery delivery, Origins at) {
        @Override
        public String toString() {
            return "EmailConfig[to=" + to + ", from=" + from + ", smarthost=" + host + ":" + port + ", startTls="
                    + startTls + ", username=" + username + ", password=" + (password == null ? null : "***")
                    + ", delivery=" + delivery + "]";
        }
    }

    /**
     * AWS SNS {@code Publish} to a topic, with the credentials and endpoints of the {@code aws} section.
     *
     * @param topicArn   the topic; a FIFO topic's name ends in {@code .fifo}
     * @param region     the region of the SNS endpoint (from the ARN unless set)
     * @param roleArn    a role to assume for publishing; null to publish with the base credentials
     * @param externalId the AssumeRole external id, or null
     * @param subject    template of the subject (email subscriptions show it); null for the shipped default
     * @param message    template of the message; null for the shipped default
     */
    public record SnsConfig(String topicArn, String region, String roleArn, String externalId, String subject,
                            String message, Delivery delivery, Origins at) {
        public boolean fifo() {
            return topicArn.endsWith(".fifo");
        }

        @Override
        public String toString() {
            return "SnsConfig[topicArn=" + topicArn + ", region=" + region + ", roleArn=" + roleArn
                    + ", externalId=" + (externalId == null ? null : "***") + ", delivery=" + delivery + "]";
        }
    }

    /** @param text template of one log line per alert; null for the shipped default */
    public record LogConfig(String text, Delivery delivery, Origins at) {
        public LogConfig(String text, Delivery delivery) {
            this(text, delivery, Origins.NONE);
        }
    }

    /**
     * The Alertmanager webhook gateway ({@code POST /hooks/alertmanager}); off unless the {@code alerts} section
     * is present. Routes and receivers have their own sections.
     *
     * @param auth           credentials the webhook requires, or {@link AuthConfig#NONE}
     * @param maxBodyBytes   larger webhook bodies are refused with 413
     * @param storePath      the SQLite file holding alert state and the outbox
     * @param initialBackoff ceiling of the first retry delay (exponential backoff with full jitter)
     * @param maxBackoff     ceiling of any retry delay
     * @param maxAge         a notification undelivered this long after it was created fails for good
     * @param concurrency    deliveries in flight at once
     */
    public record Alerts(boolean enabled, AuthConfig auth,
                         long maxBodyBytes, Store store, Duration initialBackoff,
                         Duration maxBackoff, Duration maxAge, int concurrency) {
        public Alerts {
            auth = auth == null ? AuthConfig.NONE : auth;
            java.util.Objects.requireNonNull(store, "store");
        }

        /** With a SQLite store at {@code storePath}. */
        public Alerts(boolean enabled, AuthConfig auth, long maxBodyBytes, java.nio.file.Path storePath,
                      Duration initialBackoff, Duration maxBackoff, Duration maxAge, int concurrency) {
            this(enabled, auth, maxBodyBytes, Store.sqlite(storePath), initialBackoff, maxBackoff, maxAge, concurrency);
        }

        /** The credentials as three values (a bearer token, a basic-auth user and password; each may be null). */
        public Alerts(boolean enabled, String bearerToken, String basicUsername, String basicPassword,
                      long maxBodyBytes, java.nio.file.Path storePath, Duration initialBackoff,
                      Duration maxBackoff, Duration maxAge, int concurrency) {
            this(enabled, new AuthConfig(basicUsername, basicPassword, bearerToken), maxBodyBytes,
                    Store.sqlite(storePath), initialBackoff, maxBackoff, maxAge, concurrency);
        }

        /** The SQLite file; null when the store is PostgreSQL. */
        public java.nio.file.Path storePath() {
            return store.path();
        }

        public String bearerToken() {
            return auth.bearerToken();
        }

        public Alerts withBearerToken(String token) {
            return new Alerts(enabled, new AuthConfig(auth.username(), auth.password(), token), maxBodyBytes,
                    store, initialBackoff, maxBackoff, maxAge, concurrency);
        }

        public Alerts withStore(Store other) {
            return new Alerts(enabled, auth, maxBodyBytes, other, initialBackoff, maxBackoff, maxAge, concurrency);
        }
    }

    /** Which engine keeps the alert state and the outbox. */
    public enum StoreType {
        SQLITE, POSTGRES;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code alerts.store}: a SQLite file ({@code path}) for one gateway, or a PostgreSQL database ({@code database})
     * that several replicas share.
     *
     * @param path     the SQLite file; null for PostgreSQL
     * @param database the PostgreSQL connection; null for SQLite
     * @param lease    PostgreSQL: how long a replica's claim on an outbox row outlives it (renewed while it lives)
     */
    public record Store(StoreType type, java.nio.file.Path path, Database database, Duration lease) {
        public Store {
            java.util.Objects.requireNonNull(type, "type");
            if ((type == StoreType.SQLITE) != (path != null) || (type == StoreType.POSTGRES) != (database != null)) {
                throw new IllegalArgumentException("a sqlite store has a path, a postgres store a database");
            }
        }

        public static Store sqlite(java.nio.file.Path path) {
            return new Store(StoreType.SQLITE, path, null, Defaults.STORE_LEASE);
        }

        public static Store postgres(Database database, Duration lease) {
            return new Store(StoreType.POSTGRES, null, database, lease);
        }
    }

    /**
     * A PostgreSQL database to connect to, engine-neutral so that every part of OpsGate that shares it (the alert
     * store, the collector lease) connects the same way.
     *
     * @param url      a JDBC URL, {@code jdbc:postgresql://host:port/database}, never carrying the password
     * @param user     may be null (the driver's default: the OS user)
     * @param password may be null (trust or peer authentication); never printed
     * @param poolSize connections per process
     */
    public record Database(String url, String user, String password, int poolSize) {
        public Database {
            java.util.Objects.requireNonNull(url, "url");
        }

        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "<redacted>")
                    + ", poolSize=" + poolSize + "]";
        }
    }
}
