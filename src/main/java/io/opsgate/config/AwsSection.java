package io.opsgate.config;

import static io.opsgate.config.Durations.format;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code aws} section: settings shared by every AWS client. */
final class AwsSection {
    static final List<String> KEYS = List.of("regions", "endpoints", "credentials", "retry", "api_call_timeout");
    /**
     * Services whose endpoint can be overridden: those OpsGate calls. Extend this list together with the client
     * factory when a collector starts calling a new service (servicequotas, route53, elasticloadbalancing, ...).
     */
    static final List<String> ENDPOINT_SERVICES = List.of("ec2", "cloudwatch", "sts", "rds", "elasticloadbalancing",
            "servicequotas", "route53", "sns");
    static final List<String> CREDENTIAL_KEYS = List.of("access_key_id", "access_key_id_file",
            "secret_access_key", "secret_access_key_file", "session_token", "session_token_file");
    static final List<String> RETRY_KEYS = List.of("max_attempts", "base_delay", "throttling_base_delay", "max_backoff");

    private AwsSection() {
    }

    static OpsGateConfig.Aws read(ConfigMap m) throws ConfigException {
        ConfigNode regionsNode = m.find("regions");
        List<String> regions = regionsNode == null ? Defaults.REGIONS : RegionList.read(regionsNode);
        Map<String, String> endpoints = endpoints(m.section("endpoints", ENDPOINT_SERVICES));
        ConfigNode credentialsNode = m.find("credentials");
        OpsGateConfig.StaticCredentials credentials =
                credentialsNode == null ? null : credentials(credentialsNode.map(CREDENTIAL_KEYS));

        ConfigMap retry = m.section("retry", RETRY_KEYS);
        ConfigNode attemptsNode = retry.find("max_attempts");
        int maxAttempts = attemptsNode == null ? Defaults.MAX_ATTEMPTS : attemptsNode.integer(1, 50);
        Duration baseDelay = duration(retry, "base_delay", Defaults.BASE_DELAY);
        Duration throttlingBaseDelay = duration(retry, "throttling_base_delay", Defaults.THROTTLING_BASE_DELAY);
        ConfigNode maxBackoffNode = retry.find("max_backoff");
        Duration maxBackoff = maxBackoffNode == null ? Defaults.MAX_BACKOFF : maxBackoffNode.duration();
        if (maxBackoffNode != null && maxBackoff.compareTo(baseDelay.compareTo(throttlingBaseDelay) > 0
                ? baseDelay : throttlingBaseDelay) < 0) {
            throw maxBackoffNode.error("must not be shorter than base_delay (" + format(baseDelay)
                    + ") or throttling_base_delay (" + format(throttlingBaseDelay) + "), got " + format(maxBackoff));
        }
        // With max_backoff left at its default, the base delay the user raised is what is wrong.
        for (String key : List.of("base_delay", "throttling_base_delay")) {
            ConfigNode node = retry.find(key);
            if (node != null && node.duration().compareTo(maxBackoff) > 0) {
                throw node.error("must not be longer than aws.retry.max_backoff (" + format(maxBackoff)
                        + "), got " + format(node.duration()));
            }
        }

        ConfigNode apiTimeoutNode = m.find("api_call_timeout");
        Duration apiCallTimeout = apiTimeoutNode == null ? Defaults.API_CALL_TIMEOUT : apiTimeoutNode.duration();
        if (apiCallTimeout.isZero()) {
            throw apiTimeoutNode.error("must be longer than 0s");
        }
        return new OpsGateConfig.Aws(regions, endpoints, credentials, maxAttempts, baseDelay, throttlingBaseDelay,
                maxBackoff, apiCallTimeout);
    }

    private static Duration duration(ConfigMap m, String key, Duration fallback) throws ConfigException {
        ConfigNode node = m.find(key);
        return node == null ? fallback : node.duration();
    }

    private static Map<String, String> endpoints(ConfigMap m) throws ConfigException {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (String service : ENDPOINT_SERVICES) {
            ConfigNode node = m.find(service);
            if (node != null) {
                endpoints.put(service, url(node));
            }
        }
        return Map.copyOf(endpoints);
    }

    private static String url(ConfigNode node) throws ConfigException {
        String text = node.text();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && uri.getHost() != null && uri.getPort() <= 65535) {
                return text;
            }
        } catch (URISyntaxException e) {
            // Reported below like any other malformed URL.
        }
        throw node.error("expected an absolute http(s) URL like http://127.0.0.1:4566, got " + ConfigNode.quote(text));
    }

    private static OpsGateConfig.StaticCredentials credentials(ConfigMap m) throws ConfigException {
        String accessKeyId = required(m, "access_key_id");
        String secretAccessKey = required(m, "secret_access_key");
        return new OpsGateConfig.StaticCredentials(accessKeyId, secretAccessKey,
                SecretValues.read(m, "session_token"));
    }

    private static String required(ConfigMap m, String key) throws ConfigException {
        String value = SecretValues.read(m, key);
        if (value == null) {
            throw m.node().absentChild(key).error("required when aws.credentials is set (set " + key + " or "
                    + key + "_file, or leave aws.credentials out to use the SDK's default credential chain)");
        }
        return value;
    }
}
