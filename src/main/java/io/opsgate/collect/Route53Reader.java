package io.opsgate.collect;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.ListHealthChecksResponse;

/**
 * Route 53 reads, each call paced by the account's {@link RequestPacer} (Route 53 allows 5 requests per second per
 * account, whatever the caller). Throttling (HTTP 400 {@code Throttling}) is retried by the SDK's retry strategy
 * with the configured throttling backoff; when its attempts run out the exception ends the read.
 */
final class Route53Reader {
    /** ListHealthChecks' largest page. */
    static final int MAX_PAGE = 1000;

    private final Route53Client client;
    private final RequestPacer pacer;
    private final int pageSize;

    Route53Reader(Route53Client client, RequestPacer pacer, int pageSize) {
        this.client = client;
        this.pacer = pacer;
        this.pageSize = pageSize;
    }

    /** Every health check of the account, page by page (Marker / MaxItems). */
    List<HealthCheck> healthChecks() {
        List<HealthCheck> checks = new ArrayList<>();
        String marker = null;
        while (true) {
            pacer.acquire();
            String from = marker;
            ListHealthChecksResponse page = client.listHealthChecks(r -> r.marker(from).maxItems(String.valueOf(pageSize)));
            checks.addAll(page.healthChecks());
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextMarker() == null) {
                return checks;
            }
            marker = page.nextMarker();
        }
    }

    /** The latest observation of each Route 53 checker region (GetHealthCheckStatus). */
    List<HealthCheckObservation> observations(String healthCheckId) {
        pacer.acquire();
        return client.getHealthCheckStatus(r -> r.healthCheckId(healthCheckId)).healthCheckObservations();
    }
}
