package io.opsgate.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * ⌈queries/500⌉ calls (plus NextToken pages, which only very long windows need).
 */
public final class CloudWatchFetcher {
    public static final int MAX_QUERIES_PER_CALL = 500;

    private final CloudWatchClient cloudWatch;
    private final Duration period;
    private final Duration window;
    private final Clock clock;
    private final IntConsumer metricsRequested;

    /**
     * @param metricsRequested told how many metrics each call requested: the unit AWS bills
     */
    public CloudWatchFetcher(CloudWatchClient cloudWatch, Duration period, Duration window, Clock clock,
                             IntConsumer metricsRequested) {
        this.cloudWatch = cloudWatch;
        this.period = period;
        this.window = window;
        this.clock = clock;
        this.metricsRequested = metricsRequested;
    }

    /** The newest value of each query that has data in the window; queries without data are absent. */
    public Map<MetricQuery, Double> fetchNewest(List<MetricQuery> queries) {
        Map<MetricQuery, Double> newest = new HashMap<>();
        // Whole minutes: CloudWatch answers aligned windows faster, and results stay stable between calls.
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(window);
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            List<MetricQuery> batch = queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL));
            fetchBatch(batch, start, end, newest);
        }
        return newest;
    }

    private void fetchBatch(List<MetricQuery> batch, Instant start, Instant end, Map<MetricQuery, Double> newest) {
        List<MetricDataQuery> dataQueries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            dataQueries.add(toDataQuery("q" + i, batch.get(i)));
        }
        String nextToken = null;
        do {
            GetMetricDataRequest request = GetMetricDataRequest.builder()
                    .metricDataQueries(dataQueries)
                    .startTime(start)
                    .endTime(end)
                    .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                    .nextToken(nextToken)
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
                                .dimensions(Dimension.builder().name(query.dimensionName()).value(query.dimensionValue()).build()))
                        .period((int) period.toSeconds())
                        .stat(query.stat())
                        .build())
                .build();
    }
}
