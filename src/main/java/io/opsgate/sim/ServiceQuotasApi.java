package io.opsgate.sim;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service Quotas in its wire protocol, awsJson1_1: a POST to {@code /} with {@code X-Amz-Target:
 * ServiceQuotasV20190624.<Operation>}, a JSON body, and errors as {@code {"__type": ..., "message": ...}}.
 * ListServiceQuotas pages with MaxResults (1..100, default 100) and NextToken. As AWS does, it allows 10 requests per
 * second per account and answers more with TooManyRequestsException (a token bucket on real time, so a simulator on
 * a fixed clock still refills it).
 */
final class ServiceQuotasApi {
    static final String TARGET_PREFIX = "ServiceQuotasV20190624.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final int REQUESTS_PER_SECOND = 10;
    private static final int MAX_RESULTS = 100;

    private final FleetModel fleets;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    ServiceQuotasApi(FleetModel fleets) {
        this.fleets = fleets;
    }

    /** The operation an awsJson1_1 request for this service names, or null when it is not one. */
    static String operation(HttpServerRequest req) {
        String target = req.getHeader("X-Amz-Target");
        return target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
    }

    static AwsError throttled() {
        return new AwsError(400, "TooManyRequestsException", "Rate exceeded");
    }

    static AwsError internalError() {
        return new AwsError(500, "ServiceException", "An internal error occurred.");
    }

    static String errorBody(AwsError error) {
        return new JsonObject().put("__type", error.code()).put("message", error.getMessage()).encode();
    }

    byte[] handle(String operation, byte[] body, String accountId, String region) {
        if (!buckets.computeIfAbsent(accountId, k -> new TokenBucket(REQUESTS_PER_SECOND)).take(System.nanoTime())) {
            throw throttled();
        }
        JsonObject in;
        try {
            in = body.length == 0 ? new JsonObject() : new JsonObject(new String(body, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            throw new AwsError(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        if (!"ListServiceQuotas".equals(operation)) {
            throw new AwsError(400, "UnknownOperationException", "Unknown operation " + operation);
        }
        return listServiceQuotas(in, accountId, region).encode().getBytes(StandardCharsets.UTF_8);
    }

    private JsonObject listServiceQuotas(JsonObject in, String accountId, String region) {
        Object code = in.getValue("ServiceCode");
        if (!(code instanceof String serviceCode) || serviceCode.isEmpty()) {
            throw new AwsError(400, "ValidationException",
                    "1 validation error detected: Value null at 'serviceCode' failed to satisfy constraint: Member must not be null");
        }
        Object max = in.getValue("MaxResults");
        int pageSize = MAX_RESULTS;
        if (max != null) {
            if (!(max instanceof Integer n) || n < 1 || n > MAX_RESULTS) {
                throw new AwsError(400, "ValidationException", "1 validation error detected: Value '" + max
                        + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
            }
            pageSize = n;
        }
        List<SimQuota> quotas = fleets.quotas(accountId, region).stream()
                .filter(q -> q.serviceCode().equals(serviceCode)).toList();
        if (quotas.isEmpty()) {
            throw new AwsError(400, "NoSuchResourceException", "The request failed because the specified service does not exist.");
        }
        int from;
        try {
            from = Paging.offset(in.getString("NextToken"), "ListServiceQuotas/" + serviceCode, quotas.size());
        } catch (AwsError | ClassCastException e) {
            throw new AwsError(400, "InvalidPaginationTokenException", "Invalid pagination token.");
        }
        int to = Math.min(quotas.size(), from + pageSize);
        JsonArray items = new JsonArray();
        for (SimQuota q : quotas.subList(from, to)) {
            items.add(json(q, accountId, region));
        }
        JsonObject out = new JsonObject().put("Quotas", items);
        if (to < quotas.size()) {
            out.put("NextToken", Paging.token("ListServiceQuotas/" + serviceCode, to));
        }
        return out;
    }

    private static JsonObject json(SimQuota q, String accountId, String region) {
        JsonObject o = new JsonObject()
                .put("ServiceCode", q.serviceCode())
                .put("ServiceName", q.serviceName())
                .put("QuotaArn", "arn:aws:servicequotas:" + region + ":" + accountId + ":" + q.serviceCode() + "/"
                        + q.quotaCode())
                .put("QuotaCode", q.quotaCode())
                .put("QuotaName", q.quotaName())
                .put("Value", q.value())
                .put("Unit", q.unit())
                .put("Adjustable", q.adjustable())
                .put("GlobalQuota", q.global())
                .put("QuotaAppliedAtLevel", "ACCOUNT");
        if (q.usageMetric() != null) {
            JsonObject dims = new JsonObject();
            q.usageMetric().dimensions().forEach(dims::put);
            o.put("UsageMetric", new JsonObject()
                    .put("MetricNamespace", "AWS/Usage")
                    .put("MetricName", q.usageMetric().metricName())
                    .put("MetricDimensions", dims)
                    .put("MetricStatisticRecommendation", q.usageMetric().statistic()));
        }
        if (q.periodUnit() != null) {
            o.put("Period", new JsonObject().put("PeriodValue", q.periodValue()).put("PeriodUnit", q.periodUnit()));
        }
        return o;
    }
}
