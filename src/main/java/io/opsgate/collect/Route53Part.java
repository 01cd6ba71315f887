package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import io.opsgate.config.OpsGateConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.NoSuchHealthCheckException;

/**
 * The {@code route53} collector, run by one target per account (Route 53 is global; see CollectionLoop). Each cycle:
 * ListHealthChecks (paged), the checks' Name tags (ListTagsForResources, new checks and hourly), then {@code healthy} of every check from the AWS/Route53 HealthCheckStatus metric
 * (Minimum over 60 s, us-east-1, dimension HealthCheckId) in ⌈checks/500⌉ GetMetricData calls of its own to us-east-1,
 * made beside the target's regional reads (see {@link #beside()}; the service always builds the part so; with no
 * fetcher the queries would join the cycle's batched plan instead). Then GetHealthCheckStatus only for the checks that
 * fail (or have no datapoint yet), at most {@code status_budget} a cycle, the longest-unobserved first, for their
 * per-checker-region observations. Every Route 53 call is paced to the account's 5 requests per second.
 *
 * <p>Why not GetHealthCheckStatus for every check: at 5 requests per second, 500 checks take at least 100 s per cycle
 * and leave no room for anything else calling Route 53 in the account; the metric costs $0.00001 per check per read and
 * is one GetMetricData call per 500 checks (see BENCHMARKS.md, bench/route53).
 *
 * <p>A failed Route 53 or CloudWatch call fails the part: its last families stay, marked stale by
 * {@code opsgate_collector_up{collector="route53"} 0}. A check whose GetHealthCheckStatus is not read this cycle
 * (budget spent) keeps its previous observations while it is still failing.
 */
final class Route53Part implements CollectorPart {
    static final String NAMESPACE = "AWS/Route53";
    static final String METRIC = "HealthCheckStatus";
    /** Route 53 publishes HealthCheckStatus every minute. */
    static final Duration PERIOD = Duration.ofMinutes(1);
    /** Types whose status comes from checkers in Route 53 regions (the others have no observations). */
    private static final Set<String> ENDPOINT_TYPES = Set.of("HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP");

    private final TargetKey target;
    private final int statusBudget;
    private final Function<CycleInventory, Route53Reader> readers;
    /** Null: the queries go into the cycle's batched plan (this target is us-east-1). */
    private final Function<CycleInventory, CloudWatchFetcher> ownFetch;
    private final Duration timeout;
    private final Clock clock;
    private Route53Reader reader;
    private CloudWatchFetcher fetcher;
    /** Per check: the last observations read (checker region → healthy) and when. */
    private final Map<String, Observed> observed = new HashMap<>();
    /** Check id → its Name tag ("" without one), and when every check's tags were last read. */
    private final Map<String, String> names = new HashMap<>();
    private Instant tagsReadAt;
    static final int TAGS_HOURS = 1;

    record Observed(Instant at, Map<String, Boolean> byRegion) {
    }

    /**
     * @param ownFetch null to read the metric in the cycle's batched plan; else makes the us-east-1 fetcher
     * @param timeout  the cycle timeout, for the part's own GetMetricData calls
     */
    Route53Part(TargetKey target, OpsGateConfig.Route53 settings, Function<CycleInventory, Route53Reader> readers,
                Function<CycleInventory, CloudWatchFetcher> ownFetch, Duration timeout, Clock clock) {
        this.target = target;
        this.statusBudget = settings.statusBudget();
        this.readers = readers;
        this.ownFetch = ownFetch;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public CollectorName name() {
        return CollectorName.ROUTE53;
    }

    /**
     * With calls of its own to CloudWatch the part needs nothing from the cycle's batched plan, so it runs beside the
     * regional reads: its paced Route 53 calls (ListHealthChecks, the Name tags, GetHealthCheckStatus of the failing
     * checks at 5 a second) then overlap them instead of following them.
     */
    @Override
    public boolean beside() {
        return ownFetch != null;
    }

    static MetricQuery query(String healthCheckId) {
        return new MetricQuery(NAMESPACE, METRIC, List.of(new MetricQuery.Dimension("HealthCheckId", healthCheckId)),
                "Minimum", PERIOD);
    }

    @Override
    public PartPlan plan(CycleInventory inventory, Instant now) {
        if (reader == null) {
            reader = readers.apply(inventory);
        }
        List<HealthCheck> checks = reader.healthChecks();
        readTags(checks, now);
        List<MetricQuery> queries = new ArrayList<>(checks.size());
        checks.forEach(c -> queries.add(query(c.id())));
        if (ownFetch == null) {
            return PartPlan.of(queries, values -> finish(checks, values, now));
        }
        if (fetcher == null) {
            fetcher = ownFetch.apply(inventory);
        }
        Map<MetricQuery, Double> values = queries.isEmpty() ? Map.of()
                : fetcher.fetchNewest(queries, clock.instant().plus(timeout));
        return PartPlan.of(List.of(), ignored -> finish(checks, values, now));
    }

    /**
     * The Name tag (the console's name column) of each check: ListTagsForResources, 10 checks a call, for checks not
     * seen before, and for all of them every {@value #TAGS_HOURS} h (tags change rarely; 500 checks are 50 calls).
     */
    private void readTags(List<HealthCheck> checks, Instant now) {
        boolean all = tagsReadAt == null || !now.isBefore(tagsReadAt.plus(Duration.ofHours(TAGS_HOURS)));
        List<String> ids = new ArrayList<>();
        for (HealthCheck c : checks) {
            if (all || !names.containsKey(c.id())) {
                ids.add(c.id());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Map<String, String>> tags = reader.tags(ids);
        if (all) {
            names.clear();
            tagsReadAt = now;
        }
        tags.forEach((id, t) -> names.put(id, t.getOrDefault("Name", "")));
    }

    private List<MetricFamily> finish(List<HealthCheck> checks, Map<MetricQuery, Double> values, Instant now) {
        Map<String, Double> healthy = new HashMap<>();
        List<HealthCheck> candidates = new ArrayList<>();
        for (HealthCheck c : checks) {
            Double v = values.get(query(c.id()));
            if (v != null) {
                healthy.put(c.id(), v >= 1 ? 1.0 : 0.0);
            }
            boolean endpoint = c.healthCheckConfig() != null && ENDPOINT_TYPES.contains(c.healthCheckConfig().typeAsString());
            if (endpoint && (v == null || v < 1)) {
                candidates.add(c);
            }
        }
        // Failing checks first, then checks without a datapoint; within each, the longest-unobserved first.
        candidates.sort(Comparator.<HealthCheck>comparingInt(c -> healthy.containsKey(c.id()) ? 0 : 1)
                .thenComparing(c -> observed.containsKey(c.id()) ? observed.get(c.id()).at() : Instant.MIN));
        Map<String, Observed> current = new LinkedHashMap<>();
        int calls = 0;
        for (HealthCheck c : candidates) {
            if (calls < statusBudget) {
                calls++;
                try {
                    Map<String, Boolean> byRegion = new java.util.TreeMap<>();
                    for (HealthCheckObservation o : reader.observations(c.id())) {
                        String status = o.statusReport() == null ? null : o.statusReport().status();
                        byRegion.put(o.regionAsString(), status != null && status.startsWith("Success"));
                    }
                    current.put(c.id(), new Observed(now, byRegion));
                } catch (NoSuchHealthCheckException gone) {
                    continue; // deleted since it was listed
                }
            } else if (observed.containsKey(c.id())) {
                current.put(c.id(), observed.get(c.id()));
            }
            Observed o = current.get(c.id());
            if (!healthy.containsKey(c.id()) && o != null && !o.byRegion().isEmpty()) {
                // No datapoint yet: Route 53's own rule, healthy when more than 18 % of its checkers say so.
                long up = o.byRegion().values().stream().filter(b -> b).count();
                healthy.put(c.id(), up > 0.18 * o.byRegion().size() ? 1.0 : 0.0);
            }
        }
        observed.clear();
        observed.putAll(current);
        return Route53Families.build(target.accountId(), checks, healthy, current, names);
    }
}
