package io.opsgate.collect;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;

/**
 * Route 53 health checks as metric families. Route 53 is global: the series carry {@code account_id} and no
 * {@code region} (the collector's own {@code opsgate_collector_up} names the target that collects it).
 */
final class Route53Families {
    private Route53Families() {
    }

    /**
     * @param healthy  check id → 1 healthy / 0 unhealthy; checks without a value are absent
     * @param observed check id → the per-checker-region observations served this cycle
     * @param names    check id → its Name tag
     */
    static List<MetricFamily> build(String accountId, List<HealthCheck> checks, Map<String, Double> healthy,
                                    Map<String, Route53Part.Observed> observed, Map<String, String> names) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder up = FamilyBuilder.gauge("aws_route53_health_check_healthy",
                "1 if the Route 53 health check is healthy, 0 if not: the AWS/Route53 HealthCheckStatus metric"
                        + " (Minimum over the last minute), or, for a check without a datapoint, more than 18 % of its"
                        + " checkers reporting success.", strings);
        FamilyBuilder info = FamilyBuilder.info("aws_route53_health_check_info",
                "Route 53 health check facts; value is always 1. name is the check's Name tag (as the console shows"
                        + " it), target is host:port/path for endpoint checks.",
                strings);
        FamilyBuilder checker = FamilyBuilder.gauge("aws_route53_health_check_checker_healthy",
                "1 if the Route 53 checkers in checker_region last reported success (GetHealthCheckStatus), 0 if"
                        + " failure. Read only for failing checks (and checks without a HealthCheckStatus datapoint),"
                        + " within collection.route53.status_budget calls a cycle.", strings);
        FamilyBuilder when = FamilyBuilder.gauge("aws_route53_health_check_observed_timestamp_seconds",
                "When OpsGate last read the check's per-region observations (GetHealthCheckStatus).", strings);
        for (HealthCheck c : checks) {
            Double h = healthy.get(c.id());
            if (h != null) {
                up.add(h, "account_id", accountId, "health_check_id", c.id());
            }
            HealthCheckConfig cfg = c.healthCheckConfig();
            info.addInfo(List.of(), "account_id", accountId, "health_check_id", c.id(),
                    "name", names.getOrDefault(c.id(), ""), "type", cfg == null ? "" : nz(cfg.typeAsString()), "target", target(cfg),
                    "inverted", String.valueOf(cfg != null && Boolean.TRUE.equals(cfg.inverted())),
                    "disabled", String.valueOf(cfg != null && Boolean.TRUE.equals(cfg.disabled())));
            Route53Part.Observed o = observed.get(c.id());
            if (o != null) {
                o.byRegion().forEach((region, ok) -> checker.add(ok ? 1 : 0, "account_id", accountId,
                        "health_check_id", c.id(), "checker_region", region));
                when.add(o.at().toEpochMilli() / 1000.0, "account_id", accountId, "health_check_id", c.id());
            }
        }
        return List.of(up.build(), info.build(), checker.build(), when.build());
    }

    /** What the check probes: host:port/path (host is the domain name if set, else the IP), or its alarm. */
    static String target(HealthCheckConfig cfg) {
        if (cfg == null) {
            return "";
        }
        if (cfg.alarmIdentifier() != null) {
            return "alarm:" + cfg.alarmIdentifier().regionAsString() + "/" + cfg.alarmIdentifier().name();
        }
        String host = cfg.fullyQualifiedDomainName() != null ? cfg.fullyQualifiedDomainName() : cfg.ipAddress();
        if (host == null) {
            return "";
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // IPv6
        }
        return host + (cfg.port() == null ? "" : ":" + cfg.port()) + nz(cfg.resourcePath());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
