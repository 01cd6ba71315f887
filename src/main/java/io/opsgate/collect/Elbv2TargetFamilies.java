package io.opsgate.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * ELBv2 target health as metric families. A target has one sample, labelled with its current state: one-hot over
 * the six states (as kube-state-metrics does for pod phases) made 60,000 samples of 10,000 targets, more than the
 * whole issue #2 fleet, and pushed bench/run's service past its 128 MB heap (BENCHMARKS.md). The per-group and
 * per-load-balancer counts carry every state, zeros included, for rules that need a 0. Target groups and load balancers are
 * named by their CloudWatch dimension values ({@code targetgroup/<name>/<id>}, {@code app/<name>/<id>}), so the
 * series join with the AWS/ApplicationELB and AWS/NetworkELB metrics.
 */
final class Elbv2TargetFamilies {
    /** DescribeTargetHealth's states (TargetHealthStateEnum), in AWS's order. */
    static final List<String> STATES = List.of("initial", "healthy", "unhealthy", "unused", "draining", "unavailable");

    private Elbv2TargetFamilies() {
    }

    static List<MetricFamily> build(TargetKey target, List<TargetGroupHealth> groups, List<LoadBalancer> loadBalancers) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder health = FamilyBuilder.gauge("aws_elbv2_target_health",
                "1, one sample per registered target, labelled with its current health state (DescribeTargetHealth):"
                        + " initial, healthy, unhealthy, unused, draining or unavailable.", strings);
        FamilyBuilder reason = FamilyBuilder.gauge("aws_elbv2_target_health_reason",
                "1 with the reason code DescribeTargetHealth gives for a target that is not healthy"
                        + " (Target.FailedHealthChecks, Elb.RegistrationInProgress, Target.DeregistrationInProgress,"
                        + " ...); absent for a target without a reason.", strings);
        FamilyBuilder groupTargets = FamilyBuilder.gauge("aws_elbv2_target_group_targets",
                "Registered targets of the target group in each health state.", strings);
        FamilyBuilder lbTargets = FamilyBuilder.gauge("aws_elbv2_load_balancer_targets",
                "Registered targets in each health state, summed over the target groups attached to the load balancer"
                        + " (a target registered in two of its groups counts twice).", strings);
        FamilyBuilder groupInfo = FamilyBuilder.info("aws_elbv2_target_group_info",
                "ELBv2 target group facts, one sample per load balancer it is attached to (load_balancer empty when"
                        + " attached to none); value is always 1.", strings);
        FamilyBuilder stale = FamilyBuilder.gauge("opsgate_elbv2_target_health_stale",
                "1 when this cycle's DescribeTargetHealth of the target group was throttled (or not made, having backed"
                        + " off): its target series are those of the last read that succeeded, or absent if it was never"
                        + " read; 0 when read this cycle.", strings);
        Map<String, String> lbNames = new HashMap<>();
        for (LoadBalancer lb : loadBalancers) {
            lbNames.put(lb.loadBalancerArn(), lb.loadBalancerName());
        }
        Map<String, Map<String, Integer>> byLoadBalancer = new LinkedHashMap<>();
        for (TargetGroupHealth g : groups) {
            String group = targetGroupId(g.group().targetGroupArn());
            Map<String, Integer> counts = new LinkedHashMap<>();
            STATES.forEach(s -> counts.put(s, 0));
            for (TargetHealthDescription d : g.targets()) {
                if (d.target() == null || d.target().id() == null) {
                    continue;
                }
                String state = d.targetHealth() == null || d.targetHealth().stateAsString() == null ? "unavailable"
                        : d.targetHealth().stateAsString();
                counts.merge(state, 1, Integer::sum);
                Integer p = d.target().port() != null ? d.target().port() : g.group().port();
                String port = p == null ? "" : String.valueOf(p);
                String[] labels = {"account_id", target.accountId(), "region", target.region(),
                    "target_group", group, "target_id", d.target().id(), "port", port};
                health.add(1, with(labels, "state", state));
                String why = d.targetHealth() == null ? null : d.targetHealth().reasonAsString();
                if (why != null && !why.isEmpty()) {
                    reason.add(1, with(labels, "reason", why));
                }
            }
            stale.add(g.stale() ? 1 : 0, "account_id", target.accountId(), "region", target.region(),
                    "target_group", group);
            if (g.known()) {
                // A group never read has no counts: zeros would claim it has no healthy targets.
                counts.forEach((s, n) -> groupTargets.add(n, "account_id", target.accountId(), "region",
                        target.region(), "target_group", group, "state", s));
            }
            List<String> attached = g.group().loadBalancerArns();
            String[] info = {"account_id", target.accountId(), "region", target.region(), "target_group", group,
                "target_group_name", nz(g.group().targetGroupName()), "protocol", nz(g.group().protocolAsString()),
                "port", g.group().port() == null ? "" : String.valueOf(g.group().port()),
                "target_type", nz(g.group().targetTypeAsString()), "vpc_id", nz(g.group().vpcId())};
            if (attached.isEmpty()) {
                groupInfo.addInfo(List.of(), with(info, "load_balancer", ""));
            }
            for (String lbArn : attached) {
                String lb = TagFamilies.loadBalancerId(lbArn);
                groupInfo.addInfo(List.of(), with(info, "load_balancer", lb));
                if (g.known()) {
                    Map<String, Integer> sum = byLoadBalancer.computeIfAbsent(lb, k -> new LinkedHashMap<>());
                    counts.forEach((s, n) -> sum.merge(s, n, Integer::sum));
                }
            }
        }
        byLoadBalancer.forEach((lb, counts) -> counts.forEach((s, n) -> lbTargets.add(n, "account_id",
                target.accountId(), "region", target.region(), "load_balancer", lb, "state", s)));
        return List.of(health.build(), reason.build(), groupTargets.build(), lbTargets.build(), groupInfo.build(),
                stale.build());
    }

    /** The CloudWatch TargetGroup dimension: the ARN after its last ':' ({@code targetgroup/<name>/<id>}). */
    static String targetGroupId(String arn) {
        int at = arn.indexOf(":targetgroup/");
        return at < 0 ? arn : arn.substring(at + 1);
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
        out[labels.length] = name;
        out[labels.length + 1] = value;
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
