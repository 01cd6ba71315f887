package io.opsgate.collect;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.ListHealthChecksResponse;
import software.amazon.awssdk.services.route53.model.ResourceTagSet;
import software.amazon.awssdk.services.route53.model.TagResourceType;

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

    /** ListTagsForResources' limit of resource ids per call. */
    static final int TAG_IDS_PER_CALL = 10;

    /** Check id → its tags (key → value), for the given checks, 10 per ListTagsForResources call. */
    java.util.Map<String, java.util.Map<String, String>> tags(List<String> ids) {
        java.util.Map<String, java.util.Map<String, String>> out = new java.util.HashMap<>();
        for (int from = 0; from < ids.size(); from += TAG_IDS_PER_CALL) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + TAG_IDS_PER_CALL));
            pacer.acquire();
            for (ResourceTagSet set : client.listTagsForResources(r -> r.resourceType(TagResourceType.HEALTHCHECK)
                    .resourceIds(chunk)).resourceTagSets()) {
                java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
                set.tags().forEach(t -> tags.put(t.key(), t.value()));
                out.put(set.resourceId(), tags);
            }
        }
        ids.forEach(id -> out.putIfAbsent(id, java.util.Map.of()));
        return out;
    }

    /** The latest observation of each Route 53 checker region (GetHealthCheckStatus). */
    List<HealthCheckObservation> observations(String healthCheckId) {
        pacer.acquire();
        return client.getHealthCheckStatus(r -> r.healthCheckId(healthCheckId)).healthCheckObservations();
    }
}
