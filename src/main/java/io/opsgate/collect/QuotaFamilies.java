package io.opsgate.collect;

import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/** Service Quotas as metric families: limit and usage as separate gauges, the quota's facts on an info metric. */
final class QuotaFamilies {
    private QuotaFamilies() {
    }

    /**
     * @param usage   usage by {@link QuotaPart#key}, in the quota's unit; quotas without usage are absent
     * @param counted the keys whose usage was counted from the inventory (the rest came from CloudWatch)
     */
    static List<MetricFamily> build(TargetKey target, List<ServiceQuota> quotas, Map<String, Double> usage,
                                    Set<String> counted) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder limit = FamilyBuilder.gauge("aws_service_quota_limit",
                "Applied value of the Service Quota, in the quota's unit: vCPUs for the EC2 instance quotas, TiB for"
                        + " EBS storage, a count for resources, calls per period (see aws_service_quota_info) for rates.",
                strings);
        FamilyBuilder used = FamilyBuilder.gauge("aws_service_quota_usage",
                "Current usage of the Service Quota in the same unit as aws_service_quota_limit (vCPUs, not"
                        + " instances; TiB; calls per the quota's period). Counted from Describe calls where"
                        + " usage_source=\"inventory\", else from the quota's AWS/Usage metric.", strings);
        FamilyBuilder info = FamilyBuilder.info("aws_service_quota_info",
                "Service Quota facts; value is always 1. period is empty for quotas that are not rates.", strings);
        for (ServiceQuota q : quotas) {
            String key = QuotaPart.key(q);
            String[] labels = {"account_id", target.accountId(), "region", target.region(),
                "service_code", q.serviceCode(), "quota_code", q.quotaCode()};
            if (q.value() != null) {
                limit.add(q.value(), labels);
            }
            Double u = usage.get(key);
            if (u != null) {
                used.add(u, labels);
            }
            String source = counted.contains(key) ? "inventory" : q.usageMetric() != null ? "cloudwatch" : "none";
            info.addInfo(List.of(), "account_id", target.accountId(), "region", target.region(),
                    "service_code", q.serviceCode(), "quota_code", q.quotaCode(),
                    "quota_name", nullToEmpty(q.quotaName()), "service_name", nullToEmpty(q.serviceName()),
                    "unit", nullToEmpty(q.unit()), "adjustable", String.valueOf(Boolean.TRUE.equals(q.adjustable())),
                    "global", String.valueOf(Boolean.TRUE.equals(q.globalQuota())),
                    "period", UsageQuery.periodLabel(q.period()), "usage_source", source);
        }
        return List.of(limit.build(), used.build(), info.build());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
