package io.opsgate.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The required-tags check over what the Describe APIs list, so that a resource with no tags at all is seen (a
 * tagging API such as GetResources lists only resources that have, or once had, a tag). A required tag is missing
 * when its key is absent or its value is empty or only whitespace: Prometheus treats an empty label as no label, so
 * {@code tag_Service=""} on an {@code _info} metric is as useless for a join as no tag. Keys match case-sensitively,
 * as AWS compares them ({@code environment} does not satisfy {@code Environment}).
 */
final class TagFamilies {
    static final String VOLUME = "ebs_volume";
    static final String INSTANCE = "ec2_instance";
    static final String DATABASE = "rds_db_instance";
    static final String LOAD_BALANCER = "elbv2_load_balancer";

    /** States in which a resource is on its way out and can no longer be tagged: not checked. */
    private static final Set<String> GONE = Set.of("shutting-down", "terminated", "deleting", "deleted");

    /** One resource as the check sees it: its type, the id operators know it by, and its tags. */
    record Resource(String type, String id, String state, Map<String, String> tags) {
    }

    private TagFamilies() {
    }

    static List<Resource> volumes(List<Volume> volumes) {
        return map(volumes, v -> new Resource(VOLUME, v.volumeId(), v.stateAsString(),
                tags(v.tags(), t -> t.key(), t -> t.value())));
    }

    static List<Resource> instances(List<Instance> instances) {
        return map(instances, i -> new Resource(INSTANCE, i.instanceId(),
                i.state() == null ? null : i.state().nameAsString(), tags(i.tags(), t -> t.key(), t -> t.value())));
    }

    static List<Resource> databases(List<DBInstance> databases) {
        return map(databases, d -> new Resource(DATABASE, d.dbInstanceIdentifier(), d.dbInstanceStatus(),
                tags(d.tagList(), t -> t.key(), t -> t.value())));
    }

    /**
     * Load balancers are named by their CloudWatch {@code LoadBalancer} dimension ({@code app/<name>/<id>}, the
     * ARN after {@code loadbalancer/}): unique, and what the AWS/ApplicationELB and AWS/NetworkELB metrics carry.
     */
    static List<Resource> loadBalancers(List<LoadBalancer> loadBalancers,
                                        Map<String, List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag>> tags) {
        return map(loadBalancers, lb -> new Resource(LOAD_BALANCER, loadBalancerId(lb.loadBalancerArn()),
                lb.state() == null ? null : lb.state().codeAsString(),
                tags(tags.getOrDefault(lb.loadBalancerArn(), List.of()), t -> t.key(), t -> t.value())));
    }

    static String loadBalancerId(String arn) {
        int at = arn.indexOf(":loadbalancer/");
        return at < 0 ? arn : arn.substring(at + ":loadbalancer/".length());
    }

    static boolean isMissing(Map<String, String> tags, String key) {
        String value = tags.get(key);
        return value == null || value.isBlank();
    }

    /** @param resources every resource of the target, in the order the families list them */
    static List<MetricFamily> build(TargetKey target, List<String> required, List<Resource> resources) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder missing = FamilyBuilder.gauge("aws_resource_missing_tag",
                "1 for each required tag (collection.required_tags) a resource lacks or has with an empty value;"
                        + " absent when the resource has it.", strings);
        FamilyBuilder checked = FamilyBuilder.gauge("aws_tag_policy_resources",
                "Resources checked for the required tags, by resource type.", strings);
        FamilyBuilder noncompliant = FamilyBuilder.gauge("aws_tag_policy_noncompliant_resources",
                "Resources lacking at least one required tag, by resource type.", strings);
        FamilyBuilder untagged = FamilyBuilder.gauge("aws_tag_policy_untagged_resources",
                "Resources lacking every required tag, by resource type.", strings);
        Map<String, int[]> counts = new java.util.LinkedHashMap<>();
        for (String type : List.of(VOLUME, INSTANCE, DATABASE, LOAD_BALANCER)) {
            counts.put(type, new int[3]);
        }
        for (Resource r : resources) {
            if (r.state() != null && GONE.contains(r.state())) {
                continue;
            }
            int absent = 0;
            for (String key : required) {
                if (isMissing(r.tags(), key)) {
                    absent++;
                    missing.add(1, "account_id", target.accountId(), "region", target.region(),
                            "resource_type", r.type(), "resource_id", r.id(), "tag", key);
                }
            }
            int[] c = counts.computeIfAbsent(r.type(), t -> new int[3]);
            c[0]++;
            c[1] += absent > 0 ? 1 : 0;
            c[2] += absent == required.size() ? 1 : 0;
        }
        counts.forEach((type, c) -> {
            String[] labels = {"account_id", target.accountId(), "region", target.region(), "resource_type", type};
            checked.add(c[0], labels);
            noncompliant.add(c[1], labels);
            untagged.add(c[2], labels);
        });
        return List.of(missing.build(), checked.build(), noncompliant.build(), untagged.build());
    }

    private static <T> Map<String, String> tags(List<T> tags, Function<T, String> key, Function<T, String> value) {
        Map<String, String> out = new HashMap<>(tags.size() * 2);
        for (T tag : tags) {
            if (key.apply(tag) != null) {
                out.put(key.apply(tag), value.apply(tag) == null ? "" : value.apply(tag));
            }
        }
        return out;
    }

    private static <T> List<Resource> map(List<T> items, Function<T, Resource> f) {
        List<Resource> out = new ArrayList<>(items.size());
        items.forEach(item -> out.add(f.apply(item)));
        return out;
    }
}
