package io.opsgate.collect;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The target health of one (account, region), kept across cycles: DescribeTargetGroups, then DescribeTargetHealth of
 * every group (one group per call, AWS has no batch form), up to {@code concurrency} calls in flight, each paced by
 * the target's ELBv2 {@link RequestPacer} (ELBv2 allows 10 Describe* requests a second per account and Region, after
 * a burst of 40).
 *
 * <p>Throttling: the SDK's retry strategy backs off each call first. A call still throttled after its retries stops
 * this cycle's reads (no new DescribeTargetHealth starts: hammering a spent bucket only prolongs the throttling), and
 * every group not read keeps the targets of its last successful read, marked stale; a group never read is listed with
 * no targets, marked stale and unknown. A throttled DescribeTargetGroups keeps the whole last read, marked stale. So
 * throttling never fails the collector; any other error does (its families are kept by the snapshot, as for every
 * collector). A group deleted between the listing and its DescribeTargetHealth is dropped.
 *
 * <p>Not thread-safe across cycles: one target's cycles never overlap (the side part waits for its previous read).
 */
final class TargetHealthReader {
    private final RequestPacer pacer;
    private final Executor calls;
    private final int concurrency;
    private final Clock clock;
    /** Target group ARN → its last read (fresh or carried). */
    private Map<String, TargetGroupHealth> last = Map.of();

    /**
     * @param calls runs the calls beyond the first, on threads of its own; needs {@code concurrency - 1} free threads
     */
    TargetHealthReader(RequestPacer pacer, Executor calls, int concurrency, Clock clock) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.pacer = pacer;
        this.calls = calls;
        this.concurrency = concurrency;
        this.clock = clock;
    }

    List<TargetGroupHealth> read(ElasticLoadBalancingV2Client elbv2, Instant deadline) {
        List<TargetGroup> groups;
        try {
            groups = Elbv2Reader.targetGroups(elbv2, pacer, deadline, clock);
        } catch (AwsServiceException e) {
            if (!e.isThrottlingException() || last.isEmpty()) {
                throw e;
            }
            List<TargetGroupHealth> carried = new ArrayList<>(last.size());
            last.values().forEach(g -> carried.add(g.carried(g.group())));
            remember(carried);
            return carried;
        }
        TargetHealthDescriptionsOrGone[] read = readHealth(elbv2, groups, deadline);
        List<TargetGroupHealth> out = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            TargetGroup group = groups.get(i);
            TargetHealthDescriptionsOrGone r = read[i];
            if (r == null) {
                TargetGroupHealth before = last.get(group.targetGroupArn());
                out.add(before == null ? TargetGroupHealth.unknown(group) : before.carried(group));
            } else if (!r.gone()) {
                out.add(new TargetGroupHealth(group, r.targets()));
            }
        }
        remember(out);
        return out;
    }

    private void remember(List<TargetGroupHealth> groups) {
        Map<String, TargetGroupHealth> byArn = new HashMap<>(groups.size() * 2);
        groups.forEach(g -> byArn.put(g.group().targetGroupArn(), g));
        last = byArn;
    }

    private record TargetHealthDescriptionsOrGone(List<TargetHealthDescription> targets, boolean gone) {
    }

    /** Per group, its targets, gone, or null when not read (throttled, or not asked after the throttling). */
    private TargetHealthDescriptionsOrGone[] readHealth(ElasticLoadBalancingV2Client elbv2, List<TargetGroup> groups,
                                                       Instant deadline) {
        TargetHealthDescriptionsOrGone[] read = new TargetHealthDescriptionsOrGone[groups.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean throttled = new AtomicBoolean();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < groups.size(); i = next.getAndIncrement()) {
                if (throttled.get() || failure.get() != null) {
                    return;
                }
                String arn = groups.get(i).targetGroupArn();
                try {
                    // Beside the cycle: the sequence's own ELBv2 calls (DescribeTags) go first.
                    Elbv2Reader.acquireYielding(pacer, deadline, clock);
                    read[i] = new TargetHealthDescriptionsOrGone(
                            elbv2.describeTargetHealth(r -> r.targetGroupArn(arn)).targetHealthDescriptions(), false);
                } catch (TargetGroupNotFoundException gone) {
                    read[i] = new TargetHealthDescriptionsOrGone(List.of(), true);
                } catch (AwsServiceException e) {
                    if (e.isThrottlingException()) {
                        throttled.set(true);
                    } else {
                        failure.compareAndSet(null, e);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int workers = Math.min(concurrency, groups.size());
        List<CompletableFuture<Void>> others = new ArrayList<>(Math.max(0, workers - 1));
        for (int w = 1; w < workers; w++) {
            others.add(CompletableFuture.runAsync(worker, calls));
        }
        worker.run();
        try {
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            failure.compareAndSet(null, e.getCause() instanceof RuntimeException r ? r : e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return read;
    }
}
