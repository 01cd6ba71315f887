package io.opsgate.aws;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts every HTTP attempt the SDK makes, by service, operation and outcome. Counting attempts rather
 * than API calls is deliberate: attempts are what AWS rate-limits, and a rising {@code throttled} count is
 * the early warning that the collection schedule is too aggressive for an account.
 */
public final class AwsRequestMetrics implements MetricPublisher {
    private static final String ATTEMPT = "ApiCallAttempt";

    private final Counter requests;

    public AwsRequestMetrics(PrometheusRegistry registry) {
        this.requests = Counter.builder()
                .name("opsgate_aws_requests_total")
                .help("HTTP requests sent to AWS APIs (retries included), by service, operation and outcome.")
                .labelNames("service", "operation", "outcome")
                .register(registry);
    }

    @Override
    public void publish(MetricCollection call) {
        String service = first(call, CoreMetric.SERVICE_ID, "unknown");
        String operation = first(call, CoreMetric.OPERATION_NAME, "unknown");
        boolean anyAttempt = false;
        for (MetricCollection child : call.children()) {
            if (!ATTEMPT.equals(child.name())) {
                continue;
            }
            anyAttempt = true;
            requests.labelValues(service, operation, outcome(child)).inc();
        }
        if (!anyAttempt) {
            // The call failed before anything was sent (e.g. credentials could not be fetched).
            requests.labelValues(service, operation, "not_sent").inc();
        }
    }

    static String outcome(MetricCollection attempt) {
        String errorType = first(attempt, CoreMetric.ERROR_TYPE, null);
        if (errorType == null) {
            Integer status = first(attempt, HttpMetric.HTTP_STATUS_CODE, null);
            return status == null || status < 400 ? "success" : "client_error";
        }
        return switch (errorType) {
            case "Throttling" -> "throttled";
            case "ServerError" -> "server_error";
            case "ConfiguredTimeout" -> "timeout";
            case "IO" -> "io_error";
            default -> {
                Integer status = first(attempt, HttpMetric.HTTP_STATUS_CODE, null);
                yield status != null && status >= 500 ? "server_error" : "client_error";
            }
        };
    }

    private static <T> T first(MetricCollection collection, software.amazon.awssdk.metrics.SdkMetric<T> metric, T fallback) {
        var values = collection.metricValues(metric);
        return values.isEmpty() ? fallback : values.get(0);
    }

    @Override
    public void close() {
    }
}
