package io.opsgate.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * ELBv2 reads. DescribeLoadBalancers returns no tags, unlike EC2 and RDS: they come from DescribeTags, which
 * takes at most 20 resource ARNs per call.
 */
final class Elbv2Reader {
    /** AWS's limit of ARNs in one DescribeTags call. */
    static final int TAG_ARNS_PER_CALL = 20;

    private Elbv2Reader() {
    }

    static List<LoadBalancer> loadBalancers(ElasticLoadBalancingV2Client elbv2) {
        List<LoadBalancer> loadBalancers = new ArrayList<>();
        elbv2.describeLoadBalancersPaginator(r -> r.pageSize(400)).forEach(page -> loadBalancers.addAll(page.loadBalancers()));
        return loadBalancers;
    }

    /**
     * Every target group of the region (DescribeTargetGroups, 400 a page) and the health of each one's targets
     * (DescribeTargetHealth, one call per group, unpaged in AWS). Groups attached to no load balancer are included:
     * their targets are "unused" (Target.NotInUse).
     */
    static List<TargetGroupHealth> targetGroupHealth(ElasticLoadBalancingV2Client elbv2) {
        List<TargetGroup> groups = new ArrayList<>();
        elbv2.describeTargetGroupsPaginator(r -> r.pageSize(400)).forEach(page -> groups.addAll(page.targetGroups()));
        List<TargetGroupHealth> health = new ArrayList<>(groups.size());
        for (TargetGroup group : groups) {
            health.add(new TargetGroupHealth(group, elbv2.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn()))
                    .targetHealthDescriptions()));
        }
        return health;
    }

    /** ARN → tags (as AWS lists them) of the given resources; a resource without tags maps to an empty list. */
    static Map<String, List<Tag>> tags(ElasticLoadBalancingV2Client elbv2, List<String> arns) {
        Map<String, List<Tag>> tags = new HashMap<>(arns.size() * 2);
        for (int from = 0; from < arns.size(); from += TAG_ARNS_PER_CALL) {
            List<String> chunk = arns.subList(from, Math.min(arns.size(), from + TAG_ARNS_PER_CALL));
            for (TagDescription d : elbv2.describeTags(r -> r.resourceArns(chunk)).tagDescriptions()) {
                tags.put(d.resourceArn(), d.tags());
            }
        }
        for (String arn : arns) {
            tags.putIfAbsent(arn, List.of());
        }
        return tags;
    }
}
