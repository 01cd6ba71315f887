package io.opsgate.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What the HTTP server's limits do: open connections, connections closed by a limit, bodies refused for room. */
public final class HttpServerMetrics {
    private final Gauge connections;
    private final Counter closed;
    private final Counter bodiesRefused;

    public HttpServerMetrics(PrometheusRegistry registry, BodyBudget budget, int maxConnections) {
        connections = Gauge.builder().name("opsgate_http_connections")
                .help("Open HTTP connections.").register(registry);
        Gauge.builder().name("opsgate_http_connections_max")
                .help("Open HTTP connections allowed (server.max_connections, capped by the open-file limit).")
                .register(registry).set(maxConnections);
        closed = Counter.builder().name("opsgate_http_connections_closed_total")
                .help("HTTP connections closed by a server limit: header_timeout, body_timeout, idle_timeout, "
                        + "evicted (oldest idle one, for a new connection beyond max_connections), over_limit "
                        + "(a new connection while every open one was busy).")
                .labelNames("reason").register(registry);
        for (String reason : new String[] {"header_timeout", "body_timeout", "idle_timeout", "evicted", "over_limit"}) {
            closed.labelValues(reason);
        }
        bodiesRefused = Counter.builder().name("opsgate_http_request_bodies_refused_total")
                .help("Requests answered 503 because server.max_inflight_body_bytes had no room for their body.")
                .register(registry);
        GaugeWithCallback.builder().name("opsgate_http_request_body_bytes_in_flight")
                .help("Request body bytes held at once across all connections (limit: server.max_inflight_body_bytes).")
                .callback(cb -> cb.call(budget.used())).register(registry);
    }

    void connections(int open) {
        connections.set(open);
    }

    void closed(String reason) {
        closed.labelValues(reason).inc();
    }

    public void bodyRefused() {
        bodiesRefused.inc();
    }
}
