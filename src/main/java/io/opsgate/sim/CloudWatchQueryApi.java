package io.opsgate.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** CloudWatch (awsQuery) GetMetricData and ListMetrics over the simulated fleet's metrics. */
final class CloudWatchQueryApi implements QueryApi {

    static final int MAX_QUERIES = 500;
    private static final int DEFAULT_MAX_DATAPOINTS = 100_800;
    private static final int LIST_METRICS_PAGE = 500;
    private static final Pattern ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");
    private static final List<String> EC2_METRICS = List.of(MetricDynamics.CREDIT_BALANCE,
            MetricDynamics.CREDIT_USAGE, MetricDynamics.SURPLUS_BALANCE, MetricDynamics.SURPLUS_CHARGED);

    private final FleetModel fleets;
    private final MetricDynamics dynamics;
    private final Clock clock;

    CloudWatchQueryApi(FleetModel fleets, MetricDynamics dynamics, Clock clock) {
        this.fleets = fleets;
        this.dynamics = dynamics;
        this.clock = clock;
    }

    @Override
    public String handle(ApiRequest r) {
        return switch (r.action()) {
            case "GetMetricData" -> getMetricData(r);
            case "ListMetrics" -> listMetrics(r);
            default -> throw QueryApi.invalidAction(r.action());
        };
    }

    private record Query(String id, String namespace, String metricName, List<String[]> dimensions, int period,
            String stat, boolean returnData) {
    }

    private record Series(String id, String label, long[] timestamps, double[] values) {
    }

    // ---- GetMetricData --------------------------------------------------------------------------------------

    private String getMetricData(ApiRequest r) {
        QueryParams p = r.params();
        List<Query> queries = parseQueries(p);
        Instant start = p.instant("StartTime");
        Instant end = p.instant("EndTime");
        if (start == null) {
            throw AwsError.missingParameter("The parameter StartTime is required.");
        }
        if (end == null) {
            throw AwsError.missingParameter("The parameter EndTime is required.");
        }
        if (!start.isBefore(end)) {
            throw AwsError.invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
        }
        boolean descending = !"TimestampAscending".equals(p.get("ScanBy"));
        Integer maxDatapoints = p.integer("MaxDatapoints");
        int pageSize = maxDatapoints == null || maxDatapoints <= 0 ? DEFAULT_MAX_DATAPOINTS : maxDatapoints;

        Fleet fleet = fleets.fleet(r.accountId(), r.region());
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
        int offset;
        try {
            offset = Paging.offset(p.get("NextToken"), r.action(), (int) Math.min(Integer.MAX_VALUE, total));
        } catch (AwsError e) {
            throw new AwsError(400, "InvalidNextToken", "The service cannot process the NextToken.");
        }
        long pageEnd = Math.min(total, (long) offset + pageSize);

        XmlWriter xml = new XmlWriter(512 + queries.size() * 300);
        xml.openNs("GetMetricDataResponse", r.protocol().namespace()).open("GetMetricDataResult").open("MetricDataResults");
        long cursor = 0;
        for (Series s : series) {
            int n = s.timestamps().length;
            long from = Math.max(cursor, offset);
            long to = Math.min(cursor + n, pageEnd);
            // The first page carries every query, later pages only those with datapoints left in them.
            if (to > from || (offset == 0 && n == 0)) {
                xml.open("member").elem("Id", s.id()).elem("Label", s.label()).open("Timestamps");
                for (long k = from; k < to; k++) {
                    xml.elem("member", Instant.ofEpochSecond(s.timestamps()[(int) (k - cursor)]));
                }
                xml.close("Timestamps").open("Values");
                for (long k = from; k < to; k++) {
                    xml.elem("member", s.values()[(int) (k - cursor)]);
                }
                xml.close("Values")
                        .elem("StatusCode", cursor + n > pageEnd ? "PartialData" : "Complete")
                        .open("Messages").close("Messages")
                        .close("member");
            }
            cursor += n;
        }
        xml.close("MetricDataResults")
                .elem("NextToken", pageEnd < total ? Paging.token(r.action(), (int) pageEnd) : null)
                .open("Messages").close("Messages")
                .close("GetMetricDataResult");
        return endQuery(xml, "GetMetricDataResponse", r.requestId());
    }

    private static List<Query> parseQueries(QueryParams p) {
        String prefix = "MetricDataQueries.member";
        int count = p.count(prefix, "Id", "MetricStat.Period", "MetricStat.Stat", "Expression", "ReturnData");
        if (count == 0) {
            throw AwsError.missingParameter("The parameter MetricDataQueries is required.");
        }
        if (count > MAX_QUERIES) {
            throw new AwsError(400, "ValidationError",
                    "The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
        }
        List<Query> queries = new ArrayList<>(count);
        Set<String> ids = new HashSet<>(count * 2);
        for (int n = 1; n <= count; n++) {
            String base = prefix + "." + n + ".";
            String id = p.get(base + "Id");
            if (id == null || !ID.matcher(id).matches()) {
                throw new AwsError(400, "ValidationError", "The value " + id + " for parameter " + base + "Id"
                        + " is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.");
            }
            if (!ids.add(id)) {
                throw new AwsError(400, "ValidationError",
                        "The values for parameter id in MetricDataQueries are not unique.");
            }
            boolean returnData = !"false".equalsIgnoreCase(p.get(base + "ReturnData"));
            String metric = base + "MetricStat.Metric.";
            if (p.get(metric + "MetricName") == null) {
                // Math expressions and Insights queries are not simulated: they yield an empty series.
                queries.add(new Query(id, null, null, List.of(), 60, "Average", returnData));
                continue;
            }
            Integer period = p.integer(base + "MetricStat.Period");
            if (period == null) {
                throw AwsError.missingParameter("The parameter " + base + "MetricStat.Period is required.");
            }
            if (period <= 0 || (period >= 60 ? period % 60 != 0 : !Set.of(1, 5, 10, 20, 30).contains(period))) {
                throw AwsError.invalidParameterValue("The parameter " + base
                        + "MetricStat.Period must be a value in the set [ 1, 5, 10, 20, 30, 60, and any multiple of 60 ].");
            }
            String stat = p.get(base + "MetricStat.Stat");
            if (stat == null) {
                throw AwsError.missingParameter("The parameter " + base + "MetricStat.Stat is required.");
            }
            List<String[]> dims = new ArrayList<>(1);
            for (int d = 1; ; d++) {
                String name = p.get(metric + "Dimensions.member." + d + ".Name");
                if (name == null) {
                    break;
                }
                dims.add(new String[] {name, p.get(metric + "Dimensions.member." + d + ".Value")});
            }
            queries.add(new Query(id, p.get(metric + "Namespace"), p.get(metric + "MetricName"), dims, period, stat,
                    returnData));
        }
        return queries;
    }

    private Series evaluate(Query q, Fleet fleet, long start, long end, long now, boolean descending) {
        Object resource = resolve(q, fleet);
        String label = q.metricName() == null ? q.id() : q.metricName();
        if (resource == null) {
            return new Series(q.id(), label, new long[0], new double[0]);
        }
        long born = resource instanceof SimVolume v ? v.createTime().getEpochSecond()
                : ((SimInstance) resource).launchTime().getEpochSecond();
        // Only periods that have begun at least one sample interval ago hold data.
        long lastUsable = Math.min(end - 1, now - MetricDynamics.sampleSeconds(q.metricName()));
        long first = start;
        if (first < born) {
            first = start + ((born - start + q.period() - 1) / q.period()) * q.period();
        }
        int n = lastUsable < first ? 0 : (int) Math.min(DEFAULT_MAX_DATAPOINTS, (lastUsable - first) / q.period() + 1);
        long[] ts = new long[n];
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            int slot = descending ? n - 1 - k : k;
            long t = first + (long) slot * q.period();
            ts[k] = t;
            values[k] = dynamics.statistic(q.metricName(), q.stat(), resource, t, q.period());
        }
        return new Series(q.id(), label, ts, values);
    }

    /** The simulated resource behind a query, or null when no such metric exists (AWS then returns no values). */
    private static Object resolve(Query q, Fleet fleet) {
        if (q.metricName() == null || q.dimensions().size() != 1) {
            return null;
        }
        String[] dim = q.dimensions().get(0);
        if ("AWS/EBS".equals(q.namespace()) && MetricDynamics.BURST_BALANCE.equals(q.metricName())
                && "VolumeId".equals(dim[0])) {
            SimVolume v = fleet.volume(dim[1]);
            return v != null && v.reportsBurstBalance() ? v : null;
        }
        if ("AWS/EC2".equals(q.namespace()) && EC2_METRICS.contains(q.metricName()) && "InstanceId".equals(dim[0])) {
            SimInstance i = fleet.instance(dim[1]);
            return i != null && i.reportsCreditMetrics() ? i : null;
        }
        return null;
    }

    // ---- ListMetrics ----------------------------------------------------------------------------------------

    private record MetricRef(String namespace, String name, String dimName, String dimValue) {
    }

    private String listMetrics(ApiRequest r) {
        QueryParams p = r.params();
        String namespace = p.get("Namespace");
        String metricName = p.get("MetricName");
        String dimName = p.get("Dimensions.member.1.Name");
        String dimValue = p.get("Dimensions.member.1.Value");
        Fleet fleet = fleets.fleet(r.accountId(), r.region());
        List<MetricRef> all = new ArrayList<>();
        for (SimVolume v : fleet.volumes()) {
            if (v.reportsBurstBalance()) {
                all.add(new MetricRef("AWS/EBS", MetricDynamics.BURST_BALANCE, "VolumeId", v.id()));
            }
        }
        for (SimInstance i : fleet.instances()) {
            if (i.reportsCreditMetrics()) {
                for (String m : EC2_METRICS) {
                    all.add(new MetricRef("AWS/EC2", m, "InstanceId", i.id()));
                }
            }
        }
        List<MetricRef> matching = new ArrayList<>();
        for (MetricRef m : all) {
            if ((namespace == null || namespace.equals(m.namespace())) && (metricName == null || metricName.equals(m.name()))
                    && (dimName == null || dimName.equals(m.dimName()))
                    && (dimValue == null || dimValue.equals(m.dimValue()))) {
                matching.add(m);
            }
        }
        int from;
        try {
            from = Paging.offset(p.get("NextToken"), r.action(), matching.size());
        } catch (AwsError e) {
            throw new AwsError(400, "InvalidNextToken", "The service cannot process the NextToken.");
        }
        int to = Math.min(matching.size(), from + LIST_METRICS_PAGE);
        XmlWriter xml = new XmlWriter(512 + (to - from) * 250);
        xml.openNs("ListMetricsResponse", r.protocol().namespace()).open("ListMetricsResult").open("Metrics");
        for (MetricRef m : matching.subList(from, to)) {
            xml.open("member").elem("Namespace", m.namespace()).elem("MetricName", m.name())
                    .open("Dimensions").open("member").elem("Name", m.dimName()).elem("Value", m.dimValue())
                    .close("member").close("Dimensions").close("member");
        }
        xml.close("Metrics").elem("NextToken", to < matching.size() ? Paging.token(r.action(), to) : null)
                .close("ListMetricsResult");
        return endQuery(xml, "ListMetricsResponse", r.requestId());
    }

    static String endQuery(XmlWriter xml, String root, String requestId) {
        return xml.open("ResponseMetadata").elem("RequestId", requestId).close("ResponseMetadata").close(root).toString();
    }
}
