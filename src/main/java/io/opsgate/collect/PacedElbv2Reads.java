package io.opsgate.collect;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** {@link Elbv2Reads} through the target's ELBv2 {@link RequestPacer}, one call at a time. */
final class PacedElbv2Reads implements Elbv2Reads {
    private final ElasticLoadBalancingV2Client elbv2;
    private final RequestPacer pacer;
    private final Instant deadline;
    private final Clock clock;

    PacedElbv2Reads(ElasticLoadBalancingV2Client elbv2, RequestPacer pacer, Instant deadline, Clock clock) {
        this.elbv2 = elbv2;
        this.pacer = pacer;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public List<LoadBalancer> loadBalancers() {
        return Elbv2Reader.loadBalancers(elbv2, pacer, deadline, clock);
    }

    @Override
    public List<TargetGroupHealth> attachedTargetGroupHealth() {
        List<TargetGroupHealth> health = new ArrayList<>();
        for (TargetGroup group : Elbv2Reader.targetGroups(elbv2, pacer, deadline, clock)) {
            if (group.loadBalancerArns().isEmpty()) {
                continue; // not attached: nothing routes to its targets
            }
            Elbv2Reader.acquire(pacer, deadline, clock);
            health.add(new TargetGroupHealth(group, elbv2.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn()))
                    .targetHealthDescriptions()));
        }
        return health;
    }
}
