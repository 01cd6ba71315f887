package io.opsgate.e2e;

/** Configuration fragments the alert gateway integration tests run the packaged jar with. */
final class GatewayConfigs {
    static final String TOKEN = "it-webhook-token";

    private GatewayConfigs() {
    }

    /**
     * AWS collection pointed at a closed loopback port: the exporter half fails fast and quietly, which is also a
     * check that a broken AWS side never disturbs the gateway.
     */
    static String deadAws() {
        return """
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "http://127.0.0.1:9", cloudwatch: "http://127.0.0.1:9", sts: "http://127.0.0.1:9", servicequotas: "http://127.0.0.1:9"}
                  credentials: {access_key_id: AKIAOPSGATEIT0000000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 1}
                accounts:
                  - {name: it, id: "123456789012"}
                collection:
                  interval: 5m
                """;
    }

    static String alerts(String storePath) {
        return """
                alerts:
                  auth: {bearer_token: %s}
                  store: {path: %s}
                  max_body_size: 4MiB
                  delivery: {initial_backoff: 200ms, max_backoff: 1s, max_age: 10m}
                """.formatted(TOKEN, storePath);
    }

    /**
     * As {@link #alerts}, on a PostgreSQL store that several replicas share ({@code lease}: how long a claim of a dead
     * replica holds its notifications).
     */
    static String postgresAlerts(io.opsgate.config.OpsGateConfig.Database database, String lease) {
        return """
                alerts:
                  auth: {bearer_token: %s}
                  store: {type: postgres, url: "%s", user: %s, pool_size: 4, lease: %s}
                  max_body_size: 4MiB
                  delivery: {initial_backoff: 200ms, max_backoff: 1s, max_age: 10m}
                """.formatted(TOKEN, database.url(), database.user(), lease);
    }

    /**
     * An Alertmanager configuration that sends every alert to the gateway's webhook at {@code webhookUrl}, with the
     * gateway's token, grouped by {@code groupBy} (a YAML flow list such as {@code [alertname]}) and with short
     * timers so that a test sees each state change within seconds; {@code repeat_interval} is long enough that no
     * re-send lands inside a test.
     */
    static String alertmanagerToGateway(String webhookUrl, String groupBy, String groupWait, String groupInterval) {
        return """
                route:
                  receiver: opsgate
                  group_by: %s
                  group_wait: %s
                  group_interval: %s
                  repeat_interval: 1h
                receivers:
                  - name: opsgate
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                        http_config:
                          authorization: {credentials: %s}
                """.formatted(groupBy, groupWait, groupInterval, webhookUrl, TOKEN);
    }
}
