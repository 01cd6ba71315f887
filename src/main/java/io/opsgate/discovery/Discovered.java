package io.opsgate.discovery;

import java.util.Map;

/**
 * One discovered resource, ready to serve: where to reach it, what queries filter on, and its {@code __meta_*}
 * labels already serialised as a JSON object so a response only concatenates.
 *
 * @param host       address part of {@code __address__} (an IP or DNS name)
 * @param port       the resource's own port (RDS endpoint, ELBv2 target), or 0 when it has none (EC2)
 * @param attributes filterable facts by query parameter name ({@code state}, {@code instance_type}, ...)
 * @param tags       the resource's tags with their original keys, for tag filters and ports from tags
 * @param labels     the {@code __meta_*} labels
 * @param labelsJson {@code labels} as a JSON object in UTF-8 (never modified; shared by every response)
 */
public record Discovered(String accountId, String region, String host, int port, Map<String, String> attributes,
                         Map<String, String> tags, Map<String, String> labels, byte[] labelsJson) {
    public Discovered {
        attributes = Map.copyOf(attributes);
        tags = Map.copyOf(tags);
        labels = Map.copyOf(labels);
    }

    static Discovered of(String accountId, String region, String host, int port, Map<String, String> attributes,
                         Map<String, String> tags, Map<String, String> labels) {
        return new Discovered(accountId, region, host, port, attributes, tags, labels, SdJson.object(labels).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
