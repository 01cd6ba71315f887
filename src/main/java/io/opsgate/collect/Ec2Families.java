package io.opsgate.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;

/** EC2 instance facts, CPU credit metrics and credit specifications as metric families. */
final class Ec2Families {
    /** CloudWatch credit metrics and the statistic that reads one 5-minute datapoint correctly. */
    enum CreditMetric {
        BALANCE("CPUCreditBalance", "Average", "aws_ec2_cpu_credit_balance",
                "CPU credits the burstable instance has accrued (CloudWatch CPUCreditBalance)."),
        USAGE("CPUCreditUsage", "Sum", "aws_ec2_cpu_credit_usage",
                "CPU credits spent during the last CloudWatch period (CloudWatch CPUCreditUsage)."),
        SURPLUS_BALANCE("CPUSurplusCreditBalance", "Average", "aws_ec2_cpu_surplus_credit_balance",
                "Surplus credits spent by an unlimited instance while its balance was zero (CloudWatch CPUSurplusCreditBalance)."),
        SURPLUS_CHARGED("CPUSurplusCreditsCharged", "Sum", "aws_ec2_cpu_surplus_credits_charged",
                "Surplus credits charged during the last CloudWatch period (CloudWatch CPUSurplusCreditsCharged).");

        /** Surplus credits exist only in unlimited mode: asking for them of a standard instance buys nothing. */
        boolean onlyUnlimited() {
            return this == SURPLUS_BALANCE || this == SURPLUS_CHARGED;
        }

        final String cloudWatchName;
        final String stat;
        final String metricName;
        final String help;

        CreditMetric(String cloudWatchName, String stat, String metricName, String help) {
            this.cloudWatchName = cloudWatchName;
            this.stat = stat;
            this.metricName = metricName;
            this.help = help;
        }

        MetricQuery query(String instanceId) {
            return new MetricQuery("AWS/EC2", cloudWatchName, "InstanceId", instanceId, stat);
        }
    }

    private Ec2Families() {
    }

    /** T2, T3, T3a and T4g earn and spend CPU credits; no other family does. */
    static boolean isBurstable(String instanceType) {
        return instanceType != null && (instanceType.startsWith("t2.") || instanceType.startsWith("t3.")
                || instanceType.startsWith("t3a.") || instanceType.startsWith("t4g."));
    }

    static boolean reportsCredits(Instance instance) {
        return isBurstable(instance.instanceTypeAsString()) && "running".equals(state(instance));
    }

    static List<String> burstableIds(List<Instance> instances) {
        List<String> ids = new ArrayList<>();
        for (Instance instance : instances) {
            if (isBurstable(instance.instanceTypeAsString())) {
                ids.add(instance.instanceId());
            }
        }
        return ids;
    }

    /**
     * The credit queries of the running burstable instances: all four for instances in unlimited mode, the balance
     * and usage only for standard ones. An instance whose credit option is unknown (no specification returned for it)
     * gets all four.
     */
    static List<MetricQuery> queries(List<Instance> instances, List<InstanceCreditSpecification> creditSpecs) {
        Map<String, String> modes = modes(creditSpecs);
        List<MetricQuery> queries = new ArrayList<>();
        for (Instance instance : instances) {
            if (reportsCredits(instance)) {
                for (CreditMetric metric : CreditMetric.values()) {
                    if (wanted(metric, modes.get(instance.instanceId()))) {
                        queries.add(metric.query(instance.instanceId()));
                    }
                }
            }
        }
        return queries;
    }

    private static boolean wanted(CreditMetric metric, String mode) {
        return !metric.onlyUnlimited() || mode == null || "unlimited".equals(mode);
    }

    private static Map<String, String> modes(List<InstanceCreditSpecification> creditSpecs) {
        Map<String, String> modes = new java.util.HashMap<>();
        for (InstanceCreditSpecification spec : creditSpecs) {
            if (spec.instanceId() != null && spec.cpuCredits() != null) {
                modes.put(spec.instanceId(), spec.cpuCredits());
            }
        }
        return modes;
    }

    static List<MetricFamily> build(TargetKey target, List<Instance> instances,
                                    List<InstanceCreditSpecification> creditSpecs, Map<MetricQuery, Double> values) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder info = FamilyBuilder.info("aws_ec2_instance_info",
                "EC2 instance facts; value is always 1. Tags appear as tag_<Key> labels.", strings);
        FamilyBuilder spec = FamilyBuilder.info("aws_ec2_credit_specification_info",
                "CPU credit option (standard or unlimited) of a burstable instance; value is always 1.", strings);
        List<FamilyBuilder> credits = new ArrayList<>();
        for (CreditMetric metric : CreditMetric.values()) {
            credits.add(FamilyBuilder.gauge(metric.metricName, metric.help, strings));
        }
        Map<String, String> modes = modes(creditSpecs);
        for (Instance instance : instances) {
            String id = instance.instanceId();
            info.addInfo(instance.tags(),
                    "account_id", target.accountId(), "region", target.region(), "instance_id", id,
                    "instance_type", instance.instanceTypeAsString(),
                    "availability_zone", instance.placement() == null ? "" : nullToEmpty(instance.placement().availabilityZone()),
                    "state", state(instance), "private_ip", nullToEmpty(instance.privateIpAddress()),
                    "image_id", nullToEmpty(instance.imageId()));
            if (!reportsCredits(instance)) {
                continue;
            }
            for (CreditMetric metric : CreditMetric.values()) {
                Double value = wanted(metric, modes.get(id)) ? values.get(metric.query(id)) : null;
                if (value != null) {
                    credits.get(metric.ordinal()).add(value,
                            "account_id", target.accountId(), "region", target.region(), "instance_id", id);
                }
            }
        }
        for (InstanceCreditSpecification creditSpec : creditSpecs) {
            spec.add(1, "account_id", target.accountId(), "region", target.region(),
                    "instance_id", creditSpec.instanceId(), "cpu_credits", nullToEmpty(creditSpec.cpuCredits()));
        }
        List<MetricFamily> families = new ArrayList<>();
        families.add(info.build());
        families.add(spec.build());
        credits.forEach(c -> families.add(c.build()));
        return families;
    }

    private static String state(Instance instance) {
        return instance.state() == null ? "" : instance.state().nameAsString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
