package io.opsgate.collect;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * ELBv2 reads, every call paced by the (account, region)'s ELBv2 {@link RequestPacer}: ELBv2 throttles all Describe*
 * actions of an account and Region from one bucket, so the load balancers, tags and target groups the tags and
 * elbv2_targets collectors read share it with DescribeTargetHealth ({@link TargetHealthReader}). Pages are read by
 * marker rather than with the SDK's paginators, so that each page waits for its own slot. DescribeLoadBalancers
 * returns no tags, unlike EC2 and RDS: they come from DescribeTags, which takes at most 20 resource ARNs per call.
 */
final class Elbv2Reader {
    /** AWS's limit of ARNs in one DescribeTags call. */
    static final int TAG_ARNS_PER_CALL = 20;
    /** The largest page of DescribeLoadBalancers and DescribeTargetGroups. */
    static final int MAX_PAGE = 400;

    private Elbv2Reader() {
    }

    static List<LoadBalancer> loadBalancers(ElasticLoadBalancingV2Client elbv2, RequestPacer pacer, Instant deadline,
                                            Clock clock) {
        List<LoadBalancer> loadBalancers = new ArrayList<>();
        String marker = null;
        do {
            acquire(pacer, deadline, clock);
            String from = marker;
            DescribeLoadBalancersResponse page = elbv2.describeLoadBalancers(r -> r.pageSize(MAX_PAGE).marker(from));
            loadBalancers.addAll(page.loadBalancers());
            marker = page.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return loadBalancers;
    }

    /**
     * Every target group of the region, attached or not: a group attached to no load balancer has "unused" targets
     * (Target.NotInUse).
     */
    static List<TargetGroup> targetGroups(ElasticLoadBalancingV2Client elbv2, RequestPacer pacer, Instant deadline,
                                          Clock clock) {
        List<TargetGroup> groups = new ArrayList<>();
        String marker = null;
        do {
            acquire(pacer, deadline, clock);
            String from = marker;
            DescribeTargetGroupsResponse page = elbv2.describeTargetGroups(r -> r.pageSize(MAX_PAGE).marker(from));
            groups.addAll(page.targetGroups());
            marker = page.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return groups;
    }

    /** ARN → tags (as AWS lists them) of the given resources; a resource without tags maps to an empty list. */
    static Map<String, List<Tag>> tags(ElasticLoadBalancingV2Client elbv2, List<String> arns, RequestPacer pacer,
                                       Instant deadline, Clock clock) {
        Map<String, List<Tag>> tags = new HashMap<>(arns.size() * 2);
        for (int from = 0; from < arns.size(); from += TAG_ARNS_PER_CALL) {
            List<String> chunk = arns.subList(from, Math.min(arns.size(), from + TAG_ARNS_PER_CALL));
            acquire(pacer, deadline, clock);
            for (TagDescription d : elbv2.describeTags(r -> r.resourceArns(chunk)).tagDescriptions()) {
                tags.put(d.resourceArn(), d.tags());
            }
        }
        for (String arn : arns) {
            tags.putIfAbsent(arn, List.of());
        }
        return tags;
    }

    /**
     * Waits for a slot, giving way to the calls of {@link #acquire} (see {@link RequestPacer#acquireYielding()}); no call
     * starts after the cycle's deadline.
     */
    static void acquireYielding(RequestPacer pacer, Instant deadline, Clock clock) {
        if (!clock.instant().isBefore(deadline)) {
            throw new CycleTimeoutException("cycle timeout exceeded before an ELBv2 call");
        }
        pacer.acquireYielding();
        if (!clock.instant().isBefore(deadline)) {
            throw new CycleTimeoutException("cycle timeout exceeded while pacing ELBv2 calls");
        }
    }

    /** Waits for the next call's slot; no call starts after the cycle's deadline. */
    static void acquire(RequestPacer pacer, Instant deadline, Clock clock) {
        if (!clock.instant().isBefore(deadline)) {
            throw new CycleTimeoutException("cycle timeout exceeded before an ELBv2 call");
        }
        pacer.acquire();
        if (!clock.instant().isBefore(deadline)) {
            throw new CycleTimeoutException("cycle timeout exceeded while pacing ELBv2 calls");
        }
    }
}
