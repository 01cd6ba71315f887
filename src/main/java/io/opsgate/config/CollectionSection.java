package io.opsgate.config;

import static io.opsgate.config.Durations.format;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code collection} section: the schedule and what is collected. */
final class CollectionSection {
    static final List<String> KEYS =
            List.of("interval", "timeout", "jitter", "collectors", "concurrency", "cloudwatch", "quotas",
                    "snapshots", "required_tags", "route53", "elbv2_targets");
    static final List<String> ROUTE53_KEYS = List.of("requests_per_second", "status_budget");
    static final List<String> ELBV2_TARGETS_KEYS = List.of("concurrency", "requests_per_second");
    /** A typo guard, far above any limit AWS grants: ELBv2's default is 10 Describe* requests a second. */
    private static final double MAX_ELBV2_REQUESTS_PER_SECOND = 1000;
    static final List<String> QUOTAS_KEYS = List.of("service_codes", "interval");
    static final List<String> SNAPSHOTS_KEYS = List.of("interval");
    /** Service codes as Service Quotas spells them (ec2, elasticloadbalancing, AWSCloudMap, ...). */
    private static final java.util.regex.Pattern SERVICE_CODE = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");
    static final List<String> CLOUDWATCH_KEYS = List.of("period", "window", "concurrency", "cost_aware");
    static final List<String> COST_AWARE_KEYS = List.of("enabled", "burst_balance_threshold", "cpu_credit_threshold",
            "max_interval", "publication_delay", "price_per_1000_metrics");
    /** A bucket metric unread for longer than a day would outlive the data CloudWatch keeps at its period's detail. */
    private static final Duration MAX_MAX_INTERVAL = Duration.ofHours(24);
    /** GetMetricData accepts these sub-minute periods (high-resolution metrics); anything else is whole minutes. */
    private static final Set<Long> SUB_MINUTE_PERIODS = Set.of(1L, 5L, 10L, 30L);
    /** AWS's limit for a tag key (EC2, RDS and ELBv2 alike). */
    private static final int MAX_TAG_KEY_LENGTH = 128;

    private CollectionSection() {
    }

    static OpsGateConfig.Collection read(ConfigMap m) throws ConfigException {
        ConfigNode intervalNode = m.find("interval");
        Duration interval = intervalNode == null ? Defaults.INTERVAL : intervalNode.duration();
        if (interval.compareTo(Defaults.MIN_INTERVAL) < 0) {
            throw intervalNode.error("must be at least " + format(Defaults.MIN_INTERVAL) + ", got " + format(interval));
        }

        // A cycle that outlives the interval would overlap the next one of the same target.
        ConfigNode timeoutNode = m.find("timeout");
        Duration timeout = interval;
        if (timeoutNode != null) {
            timeout = timeoutNode.duration();
            if (timeout.isZero()) {
                throw timeoutNode.error("must be longer than 0s");
            }
            if (timeout.compareTo(interval) > 0) {
                throw timeoutNode.error("must not be longer than collection.interval (" + format(interval)
                        + "), got " + format(timeout));
            }
        }

        ConfigNode jitterNode = m.find("jitter");
        double jitter = jitterNode == null ? Defaults.JITTER : jitterNode.decimal(0, 1);
        ConfigNode collectorsNode = m.find("collectors");
        Set<CollectorName> collectors = collectorsNode == null ? Defaults.COLLECTORS : collectors(collectorsNode);
        ConfigNode concurrencyNode = m.find("concurrency");
        int concurrency = concurrencyNode == null ? Defaults.CONCURRENCY : concurrencyNode.integer(1, 256);

        ConfigMap cloudwatch = m.section("cloudwatch", CLOUDWATCH_KEYS);
        ConfigNode periodNode = cloudwatch.find("period");
        Duration period = periodNode == null ? Defaults.CLOUDWATCH_PERIOD : period(periodNode);
        ConfigNode windowNode = cloudwatch.find("window");
        Duration window = windowNode == null ? Defaults.CLOUDWATCH_WINDOW : windowNode.duration();
        if (window.compareTo(period) < 0) {
            // Blame the value the user wrote: the other one is a default they may not know about.
            throw windowNode != null
                    ? windowNode.error("must be at least collection.cloudwatch.period (" + format(period)
                            + "), got " + format(window))
                    : periodNode.error("must not be longer than collection.cloudwatch.window (" + format(window)
                            + "), got " + format(period));
        }
        ConfigNode cwConcurrencyNode = cloudwatch.find("concurrency");
        int cloudWatchConcurrency = cwConcurrencyNode == null ? Defaults.CLOUDWATCH_CONCURRENCY
                : cwConcurrencyNode.integer(1, 64);
        ConfigNode requiredTagsNode = m.find("required_tags");
        List<String> requiredTags = requiredTagsNode == null ? Defaults.REQUIRED_TAGS : requiredTags(requiredTagsNode);
        OpsGateConfig.CostAware costAware = costAware(cloudwatch.section("cost_aware", COST_AWARE_KEYS), period);
        return new OpsGateConfig.Collection(interval, timeout, jitter, collectors, period, window, concurrency,
                cloudWatchConcurrency, quotas(m.section("quotas", QUOTAS_KEYS), interval),
                new OpsGateConfig.Snapshots(slowInterval(m.section("snapshots", SNAPSHOTS_KEYS),
                        OpsGateConfig.Snapshots.DEFAULT.interval(), interval)),
                costAware, requiredTags, route53(m.section("route53", ROUTE53_KEYS)),
                elbv2Targets(m.section("elbv2_targets", ELBV2_TARGETS_KEYS)));
    }

    private static OpsGateConfig.Elbv2Targets elbv2Targets(ConfigMap m) throws ConfigException {
        OpsGateConfig.Elbv2Targets d = OpsGateConfig.Elbv2Targets.DEFAULT;
        ConfigNode concurrencyNode = m.find("concurrency");
        int concurrency = concurrencyNode == null ? d.concurrency() : concurrencyNode.integer(1, 64);
        ConfigNode rateNode = m.find("requests_per_second");
        double rate = d.requestsPerSecond();
        if (rateNode != null) {
            rate = rateNode.decimal(0, MAX_ELBV2_REQUESTS_PER_SECOND);
            if (rate == 0) {
                throw rateNode.error("must be more than 0 (ELBv2 allows 10 Describe* requests per second per account"
                        + " and Region by default); to call DescribeTargetHealth not at all, leave elbv2_targets out of"
                        + " collection.collectors");
            }
        }
        return new OpsGateConfig.Elbv2Targets(concurrency, rate);
    }

    private static OpsGateConfig.Route53 route53(ConfigMap m) throws ConfigException {
        OpsGateConfig.Route53 d = OpsGateConfig.Route53.DEFAULT;
        ConfigNode rateNode = m.find("requests_per_second");
        double rate = d.requestsPerSecond();
        if (rateNode != null) {
            rate = rateNode.decimal(0, 5);
            if (rate == 0) {
                throw rateNode.error("must be more than 0 and at most 5 (Route 53 allows 5 requests per second per"
                        + " account); to call Route 53 not at all, leave route53 out of collection.collectors");
            }
        }
        ConfigNode budgetNode = m.find("status_budget");
        int budget = budgetNode == null ? d.statusBudget() : budgetNode.integer(0, 10_000);
        return new OpsGateConfig.Route53(rate, budget);
    }

    private static OpsGateConfig.CostAware costAware(ConfigMap m, Duration period) throws ConfigException {
        OpsGateConfig.CostAware d = OpsGateConfig.CostAware.DEFAULT;
        ConfigNode enabledNode = m.find("enabled");
        boolean enabled = enabledNode == null ? d.enabled() : Flags.read(enabledNode);
        ConfigNode burstNode = m.find("burst_balance_threshold");
        double burst = d.burstBalanceThreshold();
        if (burstNode != null) {
            burst = burstNode.decimal(0, 1);
            if (burst == 0 || burst == 1) {
                throw burstNode.error("must be a ratio between 0 and 1 (e.g. 0.2 for 20 %), exclusive, got "
                        + burstNode.text());
            }
        }
        ConfigNode creditNode = m.find("cpu_credit_threshold");
        double credits = creditNode == null ? d.cpuCreditThreshold() : creditNode.decimal(0, 10_000);
        ConfigNode maxNode = m.find("max_interval");
        Duration maxInterval = d.maxInterval();
        if (maxNode != null) {
            maxInterval = maxNode.duration();
            if (maxInterval.compareTo(period) < 0 || maxInterval.compareTo(MAX_MAX_INTERVAL) > 0) {
                throw maxNode.error("must be from collection.cloudwatch.period (" + format(period) + ") to "
                        + format(MAX_MAX_INTERVAL) + ", got " + format(maxInterval));
            }
        } else if (maxInterval.compareTo(period) < 0) {
            maxInterval = period;
        }
        ConfigNode delayNode = m.find("publication_delay");
        Duration delay = d.publicationDelay();
        if (delayNode != null) {
            delay = delayNode.duration();
            if (delay.compareTo(Duration.ofHours(1)) > 0) {
                throw delayNode.error("must be from 0s to 1h, got " + format(delay));
            }
        }
        ConfigNode priceNode = m.find("price_per_1000_metrics");
        double price = priceNode == null ? d.pricePer1000Metrics() : priceNode.decimal(0, 1000);
        return new OpsGateConfig.CostAware(enabled, burst, credits, maxInterval, delay, price);
    }

    private static OpsGateConfig.Quotas quotas(ConfigMap m, Duration cycle) throws ConfigException {
        Duration interval = slowInterval(m, OpsGateConfig.Quotas.DEFAULT.interval(), cycle);
        ConfigNode codesNode = m.find("service_codes");
        if (codesNode == null) {
            return new OpsGateConfig.Quotas(OpsGateConfig.Quotas.DEFAULT.serviceCodes(), interval);
        }
        List<ConfigNode> items = codesNode.list("service codes (ec2, ebs, vpc, elasticloadbalancing, ...)");
        if (items.isEmpty()) {
            throw codesNode.error("must name at least one service code; leave service_codes out for the default ("
                    + String.join(", ", OpsGateConfig.Quotas.DEFAULT.serviceCodes())
                    + "), or leave quotas out of collection.collectors");
        }
        Set<String> codes = new java.util.LinkedHashSet<>();
        for (ConfigNode item : items) {
            String code = item.text();
            if (!SERVICE_CODE.matcher(code).matches()) {
                throw item.error("not a service code: " + ConfigNode.quote(code)
                        + " (letters, digits, '.' and '-', as `aws service-quotas list-services` prints them)");
            }
            if (!codes.add(code)) {
                throw item.error("service code " + ConfigNode.quote(code) + " is listed twice");
            }
        }
        return new OpsGateConfig.Quotas(List.copyOf(codes), interval);
    }

    /** A slow collector's own interval: never shorter than the cycle that runs it. */
    private static Duration slowInterval(ConfigMap m, Duration fallback, Duration cycle) throws ConfigException {
        ConfigNode node = m.find("interval");
        if (node == null) {
            return fallback.compareTo(cycle) < 0 ? cycle : fallback;
        }
        Duration interval = node.duration();
        if (interval.compareTo(cycle) < 0) {
            throw node.error("must be at least collection.interval (" + format(cycle) + "), got " + format(interval));
        }
        return interval;
    }

    private static Duration period(ConfigNode node) throws ConfigException {
        Duration period = node.duration();
        long seconds = period.getSeconds();
        boolean valid = period.getNano() == 0 && seconds > 0
                && (seconds % 60 == 0 || SUB_MINUTE_PERIODS.contains(seconds));
        if (!valid) {
            throw node.error("must be 1s, 5s, 10s, 30s or a multiple of 60s, got " + format(period));
        }
        return period;
    }

    /** AWS tag keys: 1 to 128 characters, case-sensitive; a key listed twice is a typo, not a stricter policy. */
    private static List<String> requiredTags(ConfigNode node) throws ConfigException {
        List<ConfigNode> items = node.list("tag keys");
        if (items.isEmpty()) {
            throw node.error("must name at least one tag key; to check no tags, leave \"tags\" out of"
                    + " collection.collectors");
        }
        List<String> keys = new ArrayList<>(items.size());
        for (ConfigNode item : items) {
            String key = item.text();
            if (key.isBlank()) {
                throw item.error("a tag key must not be empty");
            }
            if (key.length() > MAX_TAG_KEY_LENGTH) {
                throw item.error("a tag key has at most " + MAX_TAG_KEY_LENGTH + " characters, got " + key.length());
            }
            if (keys.contains(key)) {
                throw item.error("tag key " + ConfigNode.quote(key) + " is listed twice");
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }

    private static Set<CollectorName> collectors(ConfigNode node) throws ConfigException {
        List<String> known = Arrays.stream(CollectorName.values()).map(CollectorName::key).toList();
        List<ConfigNode> items = node.list("collector names (" + String.join(", ", known) + ")");
        if (items.isEmpty()) {
            throw node.error("must name at least one collector (" + String.join(", ", known)
                    + "); leave collectors out to run all of them");
        }
        EnumSet<CollectorName> result = EnumSet.noneOf(CollectorName.class);
        for (ConfigNode item : items) {
            String name = item.text();
            CollectorName collector = CollectorName.fromKey(name).orElseThrow(() ->
                    item.error("unknown collector " + ConfigNode.quote(name) + Suggestions.hint(name, known)));
            if (!result.add(collector)) {
                throw item.error("collector " + ConfigNode.quote(name) + " is listed twice");
            }
        }
        return Collections.unmodifiableSet(result);
    }
}
