package io.opsgate.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * Reads the newest datapoint of many series with as few GetMetricData calls as AWS allows: every query
 * of one (account, region) goes into calls of at most {@value #MAX_QUERIES_PER_CALL}, so a cycle costs
 * ⌈queries/500⌉ calls (plus NextToken pages, which only very long windows need). Up to {@code concurrency} of
 * those calls are in flight at once, and none starts after the cycle's deadline: at the deadline the fetch gives up,
 * abandons the calls in flight (each carries the time left as its API call timeout, so the SDK aborts it too) and
 * throws {@link CycleTimeoutException}, so the cycle keeps the values it had.
 */
public final class CloudWatchFetcher {
    public static final int MAX_QUERIES_PER_CALL = 500;

    private final CloudWatchClient cloudWatch;
    private final Duration period;
    private final Duration window;
    private final Clock clock;
    private final IntConsumer metricsRequested;
    private final Executor executor;
    private final int concurrency;
    private final Duration apiCallTimeout;

    /**
     * @param metricsRequested told how many metrics each call requested: the unit AWS bills
     * @param executor         runs the calls; must have a thread free for each of the {@code concurrency} calls
     * @param concurrency      how many calls may be in flight at once
     * @param apiCallTimeout   the client's own limit for one call, retries included; a call gets the shorter of it
     *                         and the time left before the deadline
     */
    public CloudWatchFetcher(CloudWatchClient cloudWatch, Duration period, Duration window, Clock clock,
                             IntConsumer metricsRequested, Executor executor, int concurrency, Duration apiCallTimeout) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.cloudWatch = cloudWatch;
        this.period = period;
        this.window = window;
        this.clock = clock;
        this.metricsRequested = metricsRequested;
        this.executor = executor;
        this.concurrency = concurrency;
        this.apiCallTimeout = apiCallTimeout;
    }

    /**
     * The newest value of each query that has data in the window; queries without data are absent.
     *
     * @throws CycleTimeoutException when the deadline passes before every call has answered
     */
    public Map<MetricQuery, Double> fetchNewest(List<MetricQuery> queries, Instant deadline) {
        // Whole minutes: CloudWatch answers aligned windows faster, and results stay stable between calls.
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(window);
        List<List<MetricQuery>> batches = new ArrayList<>();
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            batches.add(queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL)));
        }
        Map<MetricQuery, Double> newest = new HashMap<>();
        CompletionService<Map<MetricQuery, Double>> calls = new ExecutorCompletionService<>(executor);
        List<Future<Map<MetricQuery, Double>>> started = new ArrayList<>(batches.size());
        int done = 0;
        try {
            while (done < batches.size()) {
                while (started.size() < batches.size() && started.size() - done < concurrency) {
                    checkDeadline(deadline, done, batches.size());
                    List<MetricQuery> batch = batches.get(started.size());
                    started.add(calls.submit(() -> fetchBatch(batch, start, end, deadline)));
                }
                long leftNanos = Duration.between(clock.instant(), deadline).toNanos();
                Future<Map<MetricQuery, Double>> answered = leftNanos <= 0 ? calls.poll()
                        : calls.poll(leftNanos, TimeUnit.NANOSECONDS);
                if (answered == null) {
                    throw timeout(done, batches.size());
                }
                newest.putAll(answered.get());
                done++;
            }
            return newest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CycleTimeoutException("GetMetricData interrupted after " + done + " of " + batches.size()
                    + " calls");
        } catch (ExecutionException e) {
            if (!clock.instant().isBefore(deadline)) {
                // The call was cut short by the time left to it: report the deadline, not the SDK's timeout.
                throw timeout(done, batches.size());
            }
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } finally {
            // On success every future is done and this changes nothing; otherwise it abandons the calls in flight.
            for (Future<?> call : started) {
                call.cancel(true);
            }
        }
    }

    private void checkDeadline(Instant deadline, int done, int total) {
        if (!clock.instant().isBefore(deadline)) {
            throw timeout(done, total);
        }
    }

    private static CycleTimeoutException timeout(int done, int total) {
        return new CycleTimeoutException("cycle timeout exceeded during GetMetricData (" + done + " of " + total
                + " calls answered); the previous values are kept");
    }

    private Map<MetricQuery, Double> fetchBatch(List<MetricQuery> batch, Instant start, Instant end, Instant deadline) {
        Map<MetricQuery, Double> newest = new HashMap<>();
        List<MetricDataQuery> dataQueries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            dataQueries.add(toDataQuery("q" + i, batch.get(i)));
        }
        String nextToken = null;
        do {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero() || Thread.currentThread().isInterrupted()) {
                throw new CancellationException("cycle deadline passed");
            }
            Duration timeout = left.compareTo(apiCallTimeout) < 0 ? left : apiCallTimeout;
            GetMetricDataRequest request = GetMetricDataRequest.builder()
                    .metricDataQueries(dataQueries)
                    .startTime(start)
                    .endTime(end)
                    .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                    .nextToken(nextToken)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout))
                    .build();
            metricsRequested.accept(dataQueries.size());
            GetMetricDataResponse response = cloudWatch.getMetricData(request);
            for (MetricDataResult result : response.metricDataResults()) {
                if (result.values().isEmpty()) {
                    continue;
                }
                MetricQuery query = batch.get(indexOf(result.id()));
                // Descending scan: the first value seen for a series is its newest.
                newest.putIfAbsent(query, newestValue(result));
            }
            nextToken = response.nextToken();
        } while (nextToken != null && !nextToken.isEmpty());
        return newest;
    }

    private static double newestValue(MetricDataResult result) {
        int best = 0;
        for (int i = 1; i < result.timestamps().size(); i++) {
            if (result.timestamps().get(i).isAfter(result.timestamps().get(best))) {
                best = i;
            }
        }
        return result.values().get(best);
    }

    private static int indexOf(String id) {
        return Integer.parseInt(id.substring(1));
    }

    private MetricDataQuery toDataQuery(String id, MetricQuery query) {
        return MetricDataQuery.builder()
                .id(id)
                .returnData(true)
                .metricStat(MetricStat.builder()
                        .metric(m -> m.namespace(query.namespace())
                                .metricName(query.metricName())
                                .dimensions(query.dimensions().stream()
                                        .map(d -> Dimension.builder().name(d.name()).value(d.value()).build())
                                        .toList()))
                        .period((int) (query.period() == null ? period : query.period()).toSeconds())
                        .stat(query.stat())
                        .build())
                .build();
    }
}
