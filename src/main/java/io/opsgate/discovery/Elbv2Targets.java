package io.opsgate.discovery;

import io.opsgate.collect.TargetGroupHealth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Targets registered in ELBv2 target groups, one entry per (load balancer, target group, target), labelled under
 * {@code __meta_elbv2_}. An instance target is addressed by the instance's private IP (from the EC2 inventory of the
 * same account and region); one whose instance is unknown is left out. Lambda targets have no address and are skipped.
 */
final class Elbv2Targets {
    static final String PREFIX = "__meta_elbv2_";

    private Elbv2Targets() {
    }

    /** @param privateIps instance id → private IP of the instances of this account and region */
    static List<Discovered> of(String accountId, String region, List<LoadBalancer> loadBalancers,
                               List<TargetGroupHealth> groups, Map<String, String> privateIps) {
        Map<String, LoadBalancer> byArn = new HashMap<>();
        loadBalancers.forEach(lb -> byArn.put(lb.loadBalancerArn(), lb));
        List<Discovered> out = new ArrayList<>();
        for (TargetGroupHealth gh : groups) {
            TargetGroup tg = gh.group();
            String targetType = tg.targetTypeAsString();
            for (String lbArn : tg.loadBalancerArns()) {
                LoadBalancer lb = byArn.get(lbArn);
                for (TargetHealthDescription d : gh.targets()) {
                    if (d.target() == null || d.target().id() == null) {
                        continue;
                    }
                    String id = d.target().id();
                    String host = "instance".equals(targetType) ? privateIps.get(id) : "ip".equals(targetType) ? id : null;
                    if (host == null) {
                        continue;
                    }
                    int port = d.target().port() != null ? d.target().port() : tg.port() != null ? tg.port() : 0;
                    String state = d.targetHealth() == null ? "" : nullToEmpty(d.targetHealth().stateAsString());
                    Map<String, String> labels = new LinkedHashMap<>();
                    labels.put(PREFIX + "target_id", id);
                    labels.put(PREFIX + "target_type", nullToEmpty(targetType));
                    labels.put(PREFIX + "target_port", String.valueOf(port));
                    if ("instance".equals(targetType)) {
                        labels.put(PREFIX + "target_instance_id", id);
                    }
                    if (d.target().availabilityZone() != null) {
                        labels.put(PREFIX + "target_availability_zone", d.target().availabilityZone());
                    }
                    labels.put(PREFIX + "target_health", state);
                    if (d.targetHealth() != null && d.targetHealth().reasonAsString() != null) {
                        labels.put(PREFIX + "target_health_reason", d.targetHealth().reasonAsString());
                    }
                    labels.put(PREFIX + "target_group_name", nullToEmpty(tg.targetGroupName()));
                    labels.put(PREFIX + "target_group_arn", nullToEmpty(tg.targetGroupArn()));
                    labels.put(PREFIX + "target_group_protocol", nullToEmpty(tg.protocolAsString()));
                    labels.put(PREFIX + "load_balancer_arn", lbArn);
                    if (lb != null) {
                        labels.put(PREFIX + "load_balancer_name", nullToEmpty(lb.loadBalancerName()));
                        labels.put(PREFIX + "load_balancer_dns_name", nullToEmpty(lb.dnsName()));
                        labels.put(PREFIX + "load_balancer_type", nullToEmpty(lb.typeAsString()));
                        labels.put(PREFIX + "load_balancer_scheme", nullToEmpty(lb.schemeAsString()));
                    }
                    if (tg.vpcId() != null) {
                        labels.put(PREFIX + "vpc_id", tg.vpcId());
                    }
                    labels.put(PREFIX + "region", region);
                    labels.put(Ec2Targets.ACCOUNT_ID, accountId);
                    Map<String, String> attributes = Map.of(
                            "state", state,
                            "target_group", nullToEmpty(tg.targetGroupName()),
                            "load_balancer", lb == null ? "" : nullToEmpty(lb.loadBalancerName()));
                    out.add(Discovered.of(accountId, region, host, port, attributes, Map.of(), labels));
                }
            }
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
