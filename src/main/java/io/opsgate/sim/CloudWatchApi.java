package io.opsgate.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CloudWatch's GetMetricData, GetMetricStatistics and ListMetrics over the simulated fleet's metrics. Each
 * operation reads an {@link OperationInput} and writes an {@link OperationOutput}, so awsQuery and Smithy RPC v2
 * CBOR requests get the same answers, error codes and NextTokens.
 */
final class CloudWatchApi {

    static final int MAX_QUERIES = 500;
    private static final int DEFAULT_MAX_DATAPOINTS = 100_800;
    private static final int MAX_STATISTICS_DATAPOINTS = 1_440;
    private static final int LIST_METRICS_PAGE = 500;
    private static final int MAX_DIMENSION_FILTERS = 10;
    private static final Pattern ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");
    private static final Set<String> STATISTICS = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
    /** Percentiles and the trimmed / winsorized statistics GetMetricStatistics accepts as ExtendedStatistics. */
    private static final Pattern EXTENDED_STATISTIC =
            Pattern.compile("^(p(100|\\d{1,2}(\\.\\d{1,10})?)|(tm|wm|tc|ts)\\d{1,2}(\\.\\d{1,10})?)$");
    private static final Set<Integer> HIGH_RESOLUTION_PERIODS = Set.of(1, 5, 10, 20, 30);
    private static final List<String> EC2_METRICS = List.of(MetricDynamics.CREDIT_BALANCE,
            MetricDynamics.CREDIT_USAGE, MetricDynamics.SURPLUS_BALANCE, MetricDynamics.SURPLUS_CHARGED);

    private final FleetModel fleets;
    private final MetricDynamics dynamics;
    private final Clock clock;

    CloudWatchApi(FleetModel fleets, MetricDynamics dynamics, Clock clock) {
        this.fleets = fleets;
        this.dynamics = dynamics;
        this.clock = clock;
    }

    /** Whether this operation exists here (others answer InvalidAction on both protocols). */
    static boolean supports(String operation) {
        return switch (operation) {
            case "GetMetricData", "GetMetricStatistics", "ListMetrics" -> true;
            default -> false;
        };
    }

    void handle(String operation, OperationInput in, OperationOutput out, String accountId, String region) {
        Fleet fleet = fleets.fleet(accountId, region);
        switch (operation) {
            case "GetMetricData" -> getMetricData(in, out, fleet);
            case "GetMetricStatistics" -> getMetricStatistics(in, out, fleet);
            case "ListMetrics" -> listMetrics(in, out, fleet);
            default -> throw QueryApi.invalidAction(operation);
        }
    }

    private record Metric(String namespace, String metricName, List<String[]> dimensions) {
    }

    private record Query(String id, Metric metric, int period, String stat, String label, boolean returnData) {
    }

    private record Series(String id, String label, long[] timestamps, double[] values) {
    }

    // ---- GetMetricData --------------------------------------------------------------------------------------

    private void getMetricData(OperationInput in, OperationOutput out, Fleet fleet) {
        List<Query> queries = parseQueries(in);
        Instant start = required(in, "StartTime", in.timestamp("StartTime"));
        Instant end = required(in, "EndTime", in.timestamp("EndTime"));
        if (!start.isBefore(end)) {
            throw AwsError.invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
        }
        boolean descending = !"TimestampAscending".equals(in.string("ScanBy"));
        Integer maxDatapoints = in.integer("MaxDatapoints");
        int pageSize = maxDatapoints == null || maxDatapoints <= 0 ? DEFAULT_MAX_DATAPOINTS : maxDatapoints;

        long now = clock.instant().getEpochSecond();
        List<Series> series = new ArrayList<>(queries.size());
        long total = 0;
        for (Query q : queries) {
            if (q.returnData()) {
                Series s = evaluate(q, fleet, start.getEpochSecond() / 60 * 60, end.getEpochSecond(), now, descending);
                series.add(s);
                total += s.timestamps().length;
            }
        }
        int offset = offset(in, "GetMetricData", (int) Math.min(Integer.MAX_VALUE, total));
        long pageEnd = Math.min(total, (long) offset + pageSize);

        // The first page carries every query, later pages only those with datapoints left in them.
        List<Series> onPage = new ArrayList<>(series.size());
        long cursor = 0;
        for (Series s : series) {
            int n = s.timestamps().length;
            if (Math.min(cursor + n, pageEnd) > Math.max(cursor, offset) || (offset == 0 && n == 0)) {
                onPage.add(s);
            }
            cursor += n;
        }
        out.startList("MetricDataResults", onPage.size());
        cursor = 0;
        int page = 0;
        for (Series s : series) {
            int n = s.timestamps().length;
            if (page < onPage.size() && onPage.get(page) == s) {
                page++;
                int from = (int) (Math.max(cursor, offset) - cursor);
                int to = (int) Math.max(from, Math.min(cursor + n, pageEnd) - cursor);
                out.startItem().string("Id", s.id()).string("Label", s.label());
                out.startList("Timestamps", to - from);
                for (int k = from; k < to; k++) {
                    out.timestampItem(s.timestamps()[k]);
                }
                out.endList().startList("Values", to - from);
                for (int k = from; k < to; k++) {
                    out.numberItem(s.values()[k]);
                }
                out.endList()
                        .string("StatusCode", cursor + n > pageEnd ? "PartialData" : "Complete")
                        .startList("Messages", 0).endList()
                        .endStruct();
            }
            cursor += n;
        }
        out.endList()
                .string("NextToken", pageEnd < total ? Paging.token("GetMetricData", (int) pageEnd) : null)
                .startList("Messages", 0).endList();
    }

    private static List<Query> parseQueries(OperationInput in) {
        List<OperationInput> items = in.structs("MetricDataQueries");
        if (items.isEmpty()) {
            throw AwsError.missingParameter("The parameter MetricDataQueries is required.");
        }
        if (items.size() > MAX_QUERIES) {
            throw new AwsError(400, "ValidationError",
                    "The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
        }
        List<Query> queries = new ArrayList<>(items.size());
        Set<String> ids = new HashSet<>(items.size() * 2);
        for (OperationInput item : items) {
            String id = item.string("Id");
            if (id == null || !ID.matcher(id).matches()) {
                throw new AwsError(400, "ValidationError", "The value " + id + " for parameter " + item.path("Id")
                        + " is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.");
            }
            if (!ids.add(id)) {
                throw new AwsError(400, "ValidationError",
                        "The values for parameter id in MetricDataQueries are not unique.");
            }
            boolean returnData = !Boolean.FALSE.equals(item.bool("ReturnData"));
            String label = item.string("Label");
            OperationInput stat = item.struct("MetricStat");
            Metric metric = stat == null ? null : metric(stat.struct("Metric"));
            if (metric == null || metric.metricName() == null) {
                // Math expressions and Insights queries are not simulated: they yield an empty series.
                queries.add(new Query(id, null, 60, "Average", label, returnData));
                continue;
            }
            int period = period(stat, "Period");
            String statistic = stat.string("Stat");
            if (statistic == null) {
                throw AwsError.missingParameter("The parameter " + stat.path("Stat") + " is required.");
            }
            queries.add(new Query(id, metric, period, statistic, label, returnData));
        }
        return queries;
    }

    private static Metric metric(OperationInput m) {
        if (m == null) {
            return null;
        }
        List<String[]> dims = new ArrayList<>(1);
        for (OperationInput d : m.structs("Dimensions")) {
            String name = d.string("Name");
            String value = d.string("Value");
            if (name == null || value == null) {
                throw AwsError.missingParameter("The parameter " + d.path(name == null ? "Name" : "Value") + " is required.");
            }
            dims.add(new String[] {name, value});
        }
        return new Metric(m.string("Namespace"), m.string("MetricName"), dims);
    }

    private static int period(OperationInput in, String member) {
        Integer period = in.integer(member);
        if (period == null) {
            throw AwsError.missingParameter("The parameter " + in.path(member) + " is required.");
        }
        if (period <= 0 || (period >= 60 ? period % 60 != 0 : !HIGH_RESOLUTION_PERIODS.contains(period))) {
            throw AwsError.invalidParameterValue("The parameter " + in.path(member)
                    + " must be a value in the set [ 1, 5, 10, 20, 30, 60, and any multiple of 60 ].");
        }
        return period;
    }

    private Series evaluate(Query q, Fleet fleet, long start, long end, long now, boolean descending) {
        Object resource = q.metric() == null ? null : resolve(q.metric(), fleet);
        // AWS's default label of a metric is its name; an expression's is its id.
        String label = q.label() != null ? q.label() : q.metric() == null ? q.id() : q.metric().metricName();
        if (resource == null) {
            return new Series(q.id(), label, new long[0], new double[0]);
        }
        long[] ts = periods(q.metric().metricName(), resource, q.period(), start, end, now, DEFAULT_MAX_DATAPOINTS);
        int n = ts.length;
        long[] ordered = new long[n];
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            long t = ts[descending ? n - 1 - k : k];
            ordered[k] = t;
            values[k] = dynamics.statistic(q.metric().metricName(), q.stat(), resource, t, q.period());
        }
        return new Series(q.id(), label, ordered, values);
    }

    /** Ascending start times of the periods in [start, end) that hold data: after the resource began, and old
     * enough to contain at least one sample. */
    private static long[] periods(String metricName, Object resource, int period, long start, long end, long now,
            int max) {
        long born = resource instanceof SimVolume v ? v.createTime().getEpochSecond()
                : resource instanceof UsageSeries || resource instanceof SimHealthCheck ? 0
                : ((SimInstance) resource).launchTime().getEpochSecond();
        long lastUsable = Math.min(end - 1, now - MetricDynamics.sampleSeconds(metricName));
        long first = start;
        if (first < born) {
            first = start + ((born - start + period - 1) / period) * period;
        }
        int n = lastUsable < first ? 0 : (int) Math.min(max, (lastUsable - first) / period + 1);
        long[] ts = new long[n];
        for (int k = 0; k < n; k++) {
            ts[k] = first + (long) k * period;
        }
        return ts;
    }

    /** The simulated resource behind a metric, or null when no such metric exists (AWS then returns no values). */
    private Object resolve(Metric m, Fleet fleet) {
        if (UsageSeries.NAMESPACE.equals(m.namespace()) && m.metricName() != null) {
            return fleets.usageSeries(fleet.accountId(), fleet.region()).get(UsageSeries.key(m.metricName(), m.dimensions()));
        }
        if (m.metricName() == null || m.dimensions().size() != 1) {
            return null;
        }
        String[] dim = m.dimensions().get(0);
        if (MetricDynamics.ROUTE53_NAMESPACE.equals(m.namespace())
                && MetricDynamics.HEALTH_CHECK_STATUS.equals(m.metricName()) && "HealthCheckId".equals(dim[0])) {
            // Route 53 publishes its metrics in us-east-1 only.
            return "us-east-1".equals(fleet.region()) ? fleets.healthCheck(fleet.accountId(), dim[1]) : null;
        }
        if ("AWS/EBS".equals(m.namespace()) && MetricDynamics.BURST_BALANCE.equals(m.metricName())
                && "VolumeId".equals(dim[0])) {
            SimVolume v = fleet.volume(dim[1]);
            return v != null && v.reportsBurstBalance() ? v : null;
        }
        if ("AWS/EC2".equals(m.namespace()) && EC2_METRICS.contains(m.metricName()) && "InstanceId".equals(dim[0])) {
            SimInstance i = fleet.instance(dim[1]);
            return i != null && i.reportsCreditMetrics() ? i : null;
        }
        return null;
    }

    private static String unit(String metricName) {
        return MetricDynamics.BURST_BALANCE.equals(metricName) ? "Percent" : "Count";
    }

    // ---- GetMetricStatistics --------------------------------------------------------------------------------

    private void getMetricStatistics(OperationInput in, OperationOutput out, Fleet fleet) {
        String namespace = required(in, "Namespace", in.string("Namespace"));
        String metricName = required(in, "MetricName", in.string("MetricName"));
        Instant start = required(in, "StartTime", in.timestamp("StartTime"));
        Instant end = required(in, "EndTime", in.timestamp("EndTime"));
        int period = period(in, "Period");
        List<String> statistics = in.strings("Statistics");
        List<String> extended = in.strings("ExtendedStatistics");
        if (statistics.isEmpty() && extended.isEmpty()) {
            throw AwsError.missingParameter("Must specify either Statistics or ExtendedStatistics.");
        }
        if (!statistics.isEmpty() && !extended.isEmpty()) {
            throw new AwsError(400, "InvalidParameterCombination",
                    "The parameters Statistics and ExtendedStatistics are mutually exclusive.");
        }
        if (extended.size() > 10) {
            throw AwsError.invalidParameterValue("The collection ExtendedStatistics must not have a size greater than 10.");
        }
        for (int i = 0; i < extended.size(); i++) {
            if (!EXTENDED_STATISTIC.matcher(extended.get(i)).matches()) {
                throw AwsError.invalidParameterValue("The parameter ExtendedStatistics.member." + (i + 1)
                        + " must be a percentile (p0.0 to p100) or a trimmed statistic such as tm99.");
            }
        }
        for (int i = 0; i < statistics.size(); i++) {
            if (!STATISTICS.contains(statistics.get(i))) {
                throw AwsError.invalidParameterValue("The parameter Statistics.member." + (i + 1)
                        + " must be a value in the set [ SampleCount, Average, Sum, Minimum, Maximum ].");
            }
        }
        if (statistics.size() > 5) {
            throw AwsError.invalidParameterValue("The collection Statistics must not have a size greater than 5.");
        }
        if (!start.isBefore(end)) {
            throw AwsError.invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
        }
        long requested = (end.getEpochSecond() - start.getEpochSecond() + period - 1) / period
                * (statistics.size() + extended.size());
        if (requested > MAX_STATISTICS_DATAPOINTS) {
            throw new AwsError(400, "InvalidParameterCombination", "You have requested up to " + requested
                    + " datapoints, which exceeds the limit of " + MAX_STATISTICS_DATAPOINTS
                    + ". You may reduce the datapoints requested by increasing Period, or decreasing the time range.");
        }
        String unitFilter = in.string("Unit");
        Metric metric = metric(in);
        Object resource = resolve(metric, fleet);
        long[] ts = resource == null || (unitFilter != null && !unitFilter.equals(unit(metricName)))
                ? new long[0]
                : periods(metricName, resource, period, start.getEpochSecond() / 60 * 60, end.getEpochSecond(),
                        clock.instant().getEpochSecond(), MAX_STATISTICS_DATAPOINTS);
        out.string("Label", metricName).startList("Datapoints", ts.length);
        for (long t : ts) {
            out.startItem().timestamp("Timestamp", t);
            // Model order of the Datapoint members.
            for (String s : List.of("SampleCount", "Average", "Sum", "Minimum", "Maximum")) {
                if (statistics.contains(s)) {
                    out.number(s, dynamics.statistic(metricName, s, resource, t, period));
                }
            }
            out.string("Unit", unit(metricName));
            if (!extended.isEmpty()) {
                out.startMap("ExtendedStatistics", extended.size());
                for (String e : extended) {
                    out.entry(e, dynamics.statistic(metricName, e, resource, t, period));
                }
                out.endMap();
            }
            out.endStruct();
        }
        out.endList();
    }

    // ---- ListMetrics ----------------------------------------------------------------------------------------

    private record MetricRef(String namespace, String name, String dimName, String dimValue) {
    }

    private record DimensionFilter(String name, String value) {
    }

    private void listMetrics(OperationInput in, OperationOutput out, Fleet fleet) {
        String namespace = in.string("Namespace");
        String metricName = in.string("MetricName");
        String recentlyActive = in.string("RecentlyActive");
        if (recentlyActive != null && !recentlyActive.equals("PT3H")) {
            throw AwsError.invalidParameterValue("The parameter RecentlyActive must be a value in the set [ PT3H ].");
        }
        List<DimensionFilter> filters = new ArrayList<>();
        for (OperationInput d : in.structs("Dimensions")) {
            String name = d.string("Name");
            if (name == null) {
                throw AwsError.missingParameter("The parameter " + d.path("Name") + " is required.");
            }
            filters.add(new DimensionFilter(name, d.string("Value")));
        }
        if (filters.size() > MAX_DIMENSION_FILTERS) {
            throw AwsError.invalidParameterValue(
                    "The collection Dimensions must not have a size greater than " + MAX_DIMENSION_FILTERS + ".");
        }
        List<MetricRef> matching = new ArrayList<>();
        if (namespace == null || namespace.equals("AWS/EBS")) {
            if (metricName == null || metricName.equals(MetricDynamics.BURST_BALANCE)) {
                for (SimVolume v : fleet.volumes()) {
                    if (v.reportsBurstBalance()) {
                        add(matching, filters, new MetricRef("AWS/EBS", MetricDynamics.BURST_BALANCE, "VolumeId", v.id()));
                    }
                }
            }
        }
        if (namespace == null || namespace.equals("AWS/EC2")) {
            for (SimInstance i : fleet.instances()) {
                if (i.reportsCreditMetrics()) {
                    for (String m : EC2_METRICS) {
                        if (metricName == null || metricName.equals(m)) {
                            add(matching, filters, new MetricRef("AWS/EC2", m, "InstanceId", i.id()));
                        }
                    }
                }
            }
        }
        int from = offset(in, "ListMetrics", matching.size());
        int to = Math.min(matching.size(), from + LIST_METRICS_PAGE);
        out.startList("Metrics", to - from);
        for (MetricRef m : matching.subList(from, to)) {
            out.startItem().string("Namespace", m.namespace()).string("MetricName", m.name())
                    .startList("Dimensions", 1)
                    .startItem().string("Name", m.dimName()).string("Value", m.dimValue()).endStruct()
                    .endList()
                    .endStruct();
        }
        out.endList().string("NextToken", to < matching.size() ? Paging.token("ListMetrics", to) : null);
    }

    /** Adds the metric when it has every filtered dimension (with the filtered value, where one is given). */
    private static void add(List<MetricRef> out, List<DimensionFilter> filters, MetricRef m) {
        for (DimensionFilter f : filters) {
            if (!f.name().equals(m.dimName()) || (f.value() != null && !f.value().equals(m.dimValue()))) {
                return;
            }
        }
        out.add(m);
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    private static int offset(OperationInput in, String operation, int size) {
        try {
            return Paging.offset(in.string("NextToken"), operation, size);
        } catch (AwsError e) {
            throw new AwsError(400, "InvalidNextToken", "The service cannot process the NextToken.");
        }
    }

    private static <T> T required(OperationInput in, String member, T value) {
        if (value == null) {
            throw AwsError.missingParameter("The parameter " + in.path(member) + " is required.");
        }
        return value;
    }
}
