package io.opsgate.sim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Route 53 in its wire protocol, restXml: the operation is the method and path under {@code /2013-04-01/}, replies
 * and errors are XML in namespace {@value #NAMESPACE}. ListHealthChecks ({@code GET /2013-04-01/healthcheck}) pages
 * with {@code maxitems} (default 100, at most 1000) and {@code marker} (the id of the first check of the page, as
 * NextMarker gave it); GetHealthCheck ({@code GET .../healthcheck/{id}}); GetHealthCheckStatus
 * ({@code GET .../healthcheck/{id}/status}), one observation per checker region; ListTagsForResources
 * ({@code POST .../tags/healthcheck}, at most 10 ids).
 *
 * <p>As AWS does, it allows 5 requests per second per account and answers more with HTTP 400 {@code Throttling}
 * "Rate exceeded". The bucket (5 tokens, refilled at 5 a second on real time) is only spent by the requests it
 * admits: a throttled attempt takes nothing, so a client that backs off gets through as soon as tokens are back.
 */
final class Route53RestApi {
    static final String NAMESPACE = "https://route53.amazonaws.com/doc/2013-04-01/";
    static final String PREFIX = "/2013-04-01/";
    static final int REQUESTS_PER_SECOND = 5;
    private static final int DEFAULT_ITEMS = 100;
    private static final int MAX_ITEMS = 1000;
    /** ListTagsForResources takes at most 10 resource ids. */
    static final int MAX_TAGGED_IDS = 10;
    private static final java.util.regex.Pattern RESOURCE_ID = java.util.regex.Pattern.compile("<ResourceId>([^<]*)</ResourceId>");

    private final FleetModel fleets;
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    Route53RestApi(FleetModel fleets, Clock clock) {
        this.fleets = fleets;
        this.clock = clock;
    }

    /** The operation a request path names, or null when the path is not Route 53's. */
    static String operation(String method, String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = path.substring(PREFIX.length()).split("/");
        if ("tags".equals(parts[0]) && parts.length == 2 && "POST".equals(method)) {
            return "ListTagsForResources";
        }
        if (!"healthcheck".equals(parts[0])) {
            return "Unknown";
        }
        if (!"GET".equals(method)) {
            return "Unknown";
        }
        return switch (parts.length) {
            case 1 -> "ListHealthChecks";
            case 2 -> "GetHealthCheck";
            case 3 -> "status".equals(parts[2]) ? "GetHealthCheckStatus" : "Unknown";
            default -> "Unknown";
        };
    }

    static AwsError throttled() {
        return new AwsError(400, "Throttling", "Rate exceeded");
    }

    static AwsError internalError() {
        return new AwsError(500, "InternalFailure", "An internal error occurred.");
    }

    static String errorBody(AwsError error, String requestId) {
        XmlWriter xml = new XmlWriter(256);
        xml.openNs("ErrorResponse", NAMESPACE).open("Error")
                .elem("Type", error.type()).elem("Code", error.code()).elem("Message", error.getMessage())
                .close("Error").elem("RequestId", requestId).close("ErrorResponse");
        return xml.toString();
    }

    /** Takes a token of the account's bucket, or throws Throttling without taking any. */
    void admit(String accountId) {
        if (!buckets.computeIfAbsent(accountId, k -> new TokenBucket(REQUESTS_PER_SECOND)).take(System.nanoTime())) {
            throw throttled();
        }
    }

    byte[] handle(String operation, String path, QueryParams query, String body, String accountId) {
        String[] parts = path.substring(PREFIX.length()).split("/");
        String xml = switch (operation) {
            case "ListTagsForResources" -> tags(parts[1], body, accountId);
            case "ListHealthChecks" -> list(query, accountId);
            case "GetHealthCheck" -> get(check(accountId, parts[1]));
            case "GetHealthCheckStatus" -> status(check(accountId, parts[1]));
            default -> throw new AwsError(404, "UnknownOperationException", "Unknown operation " + path);
        };
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private SimHealthCheck check(String accountId, String id) {
        SimHealthCheck c = fleets.healthCheck(accountId, id);
        if (c == null) {
            throw new AwsError(404, "NoSuchHealthCheck", "No health check exists with the specified ID " + id);
        }
        return c;
    }

    private String list(QueryParams query, String accountId) {
        List<SimHealthCheck> checks = fleets.healthChecks(accountId);
        int max = DEFAULT_ITEMS;
        String maxItems = query.get("maxitems");
        if (maxItems != null) {
            try {
                max = Integer.parseInt(maxItems);
            } catch (NumberFormatException e) {
                throw new AwsError(400, "InvalidInput", "Invalid value for MaxItems: " + maxItems);
            }
            if (max < 1) {
                throw new AwsError(400, "InvalidInput", "MaxItems must be at least 1");
            }
            max = Math.min(max, MAX_ITEMS);
        }
        int from = 0;
        String marker = query.get("marker");
        if (marker != null && !marker.isEmpty()) {
            from = -1;
            for (int i = 0; i < checks.size(); i++) {
                if (checks.get(i).id().equals(marker)) {
                    from = i;
                    break;
                }
            }
            if (from < 0) {
                throw new AwsError(400, "InvalidInput", "Invalid marker: " + marker);
            }
        }
        int to = Math.min(checks.size(), from + max);
        XmlWriter xml = new XmlWriter(512 + (to - from) * 700);
        xml.openNs("ListHealthChecksResponse", NAMESPACE).open("HealthChecks");
        for (SimHealthCheck c : checks.subList(from, to)) {
            healthCheck(xml, c);
        }
        xml.close("HealthChecks").elem("Marker", marker == null ? "" : marker).elem("IsTruncated", to < checks.size());
        if (to < checks.size()) {
            xml.elem("NextMarker", checks.get(to).id());
        }
        return xml.elem("MaxItems", String.valueOf(max)).close("ListHealthChecksResponse").toString();
    }

    /** POST /2013-04-01/tags/healthcheck with up to 10 ResourceId elements. */
    private String tags(String resourceType, String body, String accountId) {
        if (!"healthcheck".equals(resourceType)) {
            throw new AwsError(400, "InvalidInput", "Only healthcheck resources are simulated, not " + resourceType);
        }
        java.util.regex.Matcher m = RESOURCE_ID.matcher(body);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        if (ids.isEmpty() || ids.size() > MAX_TAGGED_IDS) {
            throw new AwsError(400, "InvalidInput", "1 validation error detected: Value at 'resourceIds' failed to"
                    + " satisfy constraint: Member must have length between 1 and " + MAX_TAGGED_IDS);
        }
        XmlWriter xml = new XmlWriter(256 + ids.size() * 300);
        xml.openNs("ListTagsForResourcesResponse", NAMESPACE).open("ResourceTagSets");
        for (String id : ids) {
            SimHealthCheck c = check(accountId, id);
            xml.open("ResourceTagSet").elem("ResourceId", id).elem("ResourceType", "healthcheck").open("Tags");
            c.tags().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t ->
                    xml.open("Tag").elem("Key", t.getKey()).elem("Value", t.getValue()).close("Tag"));
            xml.close("Tags").close("ResourceTagSet");
        }
        return xml.close("ResourceTagSets").close("ListTagsForResourcesResponse").toString();
    }

    private static String get(SimHealthCheck c) {
        XmlWriter xml = new XmlWriter(1024);
        xml.openNs("GetHealthCheckResponse", NAMESPACE);
        healthCheck(xml, c);
        return xml.close("GetHealthCheckResponse").toString();
    }

    private static void healthCheck(XmlWriter xml, SimHealthCheck c) {
        xml.open("HealthCheck").elem("Id", c.id()).elem("CallerReference", c.callerReference())
                .open("HealthCheckConfig")
                .elem("IPAddress", c.ipAddress())
                .elem("Port", c.port())
                .elem("Type", c.type())
                .elem("ResourcePath", c.resourcePath())
                .elem("FullyQualifiedDomainName", c.fqdn());
        if (c.type().endsWith("STR_MATCH")) {
            xml.elem("SearchString", "ok");
        }
        xml.elem("RequestInterval", 30).elem("FailureThreshold", 3).elem("MeasureLatency", false)
                .elem("Inverted", false).elem("Disabled", false);
        if (c.type().startsWith("HTTPS")) {
            xml.elem("EnableSNI", true);
        }
        xml.close("HealthCheckConfig").elem("HealthCheckVersion", 1).close("HealthCheck");
    }

    private String status(SimHealthCheck c) {
        // Checkers probe every 30 s; each region's last report is from the latest half minute.
        Instant now = clock.instant();
        long checked = now.getEpochSecond() / 30 * 30;
        XmlWriter xml = new XmlWriter(256 + c.checkers().size() * 300);
        xml.openNs("GetHealthCheckStatusResponse", NAMESPACE).open("HealthCheckObservations");
        for (int i = 0; i < c.checkers().size(); i++) {
            String region = c.checkers().get(i);
            boolean ok = c.checkerHealthyAt(region, checked);
            String status = ok
                    ? (c.type().equals("TCP") ? "Success: TCP connection established" : "Success: HTTP Status Code 200, OK")
                    : (c.type().equals("TCP") ? "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall."
                        : "Failure: HTTP Status Code 503, Service Unavailable. Resolved IP: 198.51.100.7");
            xml.open("HealthCheckObservation").elem("Region", region).elem("IPAddress", "15.177." + (i * 16) + ".10")
                    .open("StatusReport").elem("Status", status).elem("CheckedTime", Instant.ofEpochSecond(checked))
                    .close("StatusReport").close("HealthCheckObservation");
        }
        return xml.close("HealthCheckObservations").close("GetHealthCheckStatusResponse").toString();
    }
}
