package io.opsgate.sim;

import java.util.Map;

/**
 * One Service Quotas entry as ListServiceQuotas reports it. {@code usageMetric} is null for quotas AWS publishes no
 * usage for; {@code periodUnit} is null for quotas that are not rates. {@code usage} is the simulator's own truth
 * behind the AWS/Usage series: a fixed share of the limit for synthetic quotas, or a count of the fleet.
 */
public record SimQuota(String serviceCode, String serviceName, String quotaCode, String quotaName, double value,
        String unit, boolean adjustable, boolean global, UsageMetric usageMetric, Integer periodValue,
        String periodUnit, double usage) {

    /** A quota's CloudWatch usage series in AWS/Usage. */
    public record UsageMetric(String metricName, Map<String, String> dimensions, String statistic) {
    }

    /** The quota's period in seconds, or 0 when it is not a rate. */
    public long periodSeconds() {
        if (periodUnit == null) {
            return 0;
        }
        long unitSeconds = switch (periodUnit) {
            case "SECOND" -> 1;
            case "MINUTE" -> 60;
            case "HOUR" -> 3600;
            case "DAY" -> 86400;
            case "WEEK" -> 7 * 86400;
            default -> throw new IllegalStateException("period unit " + periodUnit);
        };
        return unitSeconds * periodValue;
    }
}
