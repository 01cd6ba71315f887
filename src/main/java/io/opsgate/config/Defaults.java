package io.opsgate.config;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every default in one place; {@code opsgate.example.yml} documents the same values. */
final class Defaults {
    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
    static final double JITTER = 0.1;
    /**
     * Every collector but route53 and elbv2_targets: they need IAM permissions a role set up for the others lacks
     * (route53:ListHealthChecks, elasticloadbalancing:DescribeTargetHealth, ...), so turning them on by default
     * would mark every upgraded deployment's collectors down; and route53 costs a GetMetricData metric per health
     * check per cycle. README "Route 53 health checks and ELBv2 target health".
     */
    static final Set<CollectorName> COLLECTORS = Collections.unmodifiableSet(EnumSet.complementOf(
            EnumSet.of(CollectorName.ROUTE53, CollectorName.ELBV2_TARGETS)));
    static final int CONCURRENCY = 8;
    /** As YACE's -cloudwatch-concurrency. */
    static final int CLOUDWATCH_CONCURRENCY = 5;
    static final Duration CLOUDWATCH_PERIOD = Duration.ofMinutes(5);
    static final Duration CLOUDWATCH_WINDOW = Duration.ofMinutes(15);
    /** The operators' tagging checklist (issue #9). */
    static final List<String> REQUIRED_TAGS = List.of("Name", "Environment", "Project", "Service");

    static final List<String> REGIONS = List.of("us-east-1");
    static final int MAX_ATTEMPTS = 10;
    static final Duration BASE_DELAY = Duration.ofMillis(100);
    static final Duration THROTTLING_BASE_DELAY = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(60);

    /** Name of the account used when none is configured, or when one has neither name nor id. */
    static final String ACCOUNT_NAME = "default";

    /** Alertmanager has already waited its own group_wait; ours only gathers the copies of its HA peers. */
    static final Duration GROUP_WAIT = Duration.ofSeconds(5);
    static final Duration GROUP_INTERVAL = Duration.ofMinutes(5);
    static final Duration REPEAT_INTERVAL = Duration.ofHours(4);
    static final String LOG_RECEIVER = "log";
    static final double SLACK_RATE_LIMIT = 1.0;
    /** Slack's Web API, which bot mode calls (chat.postMessage, chat.update, conversations.history). */
    static final String SLACK_WEB_API_URL = "https://slack.com/api/";
    /** Teams throttles a webhook that gets more than 4 requests a second. */
    static final double TEAMS_RATE_LIMIT = 4.0;
    static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(10);
    static final String PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

    private Defaults() {
    }

    static OpsGateConfig config() {
        return new OpsGateConfig(
                OpsGateConfig.Server.DEFAULT,
                new OpsGateConfig.Collection(INTERVAL, INTERVAL, JITTER, COLLECTORS,
                        CLOUDWATCH_PERIOD, CLOUDWATCH_WINDOW, CONCURRENCY, CLOUDWATCH_CONCURRENCY),
                new OpsGateConfig.Aws(REGIONS, Map.of(), null, MAX_ATTEMPTS, BASE_DELAY, THROTTLING_BASE_DELAY,
                        MAX_BACKOFF, API_CALL_TIMEOUT),
                List.of(account(REGIONS)),
                route(), receivers(),
                alerts(), OpsGateConfig.Discovery.DEFAULT, List.of());
    }

    /** Without a route section, every alert goes to the receiver named "log". */
    static RouteConfig route() {
        return new RouteConfig("0", List.of(), false, List.of(LOG_RECEIVER), List.of(), GROUP_WAIT, GROUP_INTERVAL,
                REPEAT_INTERVAL, List.of(), Origins.NONE);
    }

    /** Without a receivers section, one receiver "log" that logs every alert and its resolution. */
    static List<OpsGateConfig.Receiver> receivers() {
        return List.of(new OpsGateConfig.Receiver(LOG_RECEIVER, List.of(), List.of(), List.of(),
                List.of(new OpsGateConfig.LogConfig(null, new OpsGateConfig.Delivery(true, Optional.empty(), NOTIFY_TIMEOUT)))));
    }

    static final long ALERTS_MAX_BODY = 4L << 20;
    static final String ALERTS_STORE = "opsgate-alerts.db";
    static final java.time.Duration STORE_LEASE = java.time.Duration.ofSeconds(30);
    static final int STORE_POOL_SIZE = 10;
    static final Duration ALERTS_INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration ALERTS_MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration ALERTS_MAX_AGE = Duration.ofHours(24);
    static final int ALERTS_CONCURRENCY = 64;

    /** The gateway is off without an alerts section: a plain exporter writes no database. */
    static OpsGateConfig.Alerts alerts() {
        return new OpsGateConfig.Alerts(false, AuthConfig.NONE, ALERTS_MAX_BODY, java.nio.file.Path.of(ALERTS_STORE),
                ALERTS_INITIAL_BACKOFF, ALERTS_MAX_BACKOFF, ALERTS_MAX_AGE, ALERTS_CONCURRENCY);
    }

    /** The account that uses the base credentials as they are, with its id asked of STS. */
    static OpsGateConfig.Account account(List<String> regions) {
        return new OpsGateConfig.Account(ACCOUNT_NAME, null, null, null, regions);
    }
}
