package io.opsgate.http;

import com.sun.management.UnixOperatingSystemMXBean;
import io.opsgate.config.OpsGateConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code server.*} limits install on the service's HTTP server: Vert.x's idle timeout, the
 * {@link ConnectionGuard} (head and body deadlines, keep-alive idle timeout, connection cap) and the
 * {@link BodyBudget} that request bodies count against.
 */
public final class ServerProtection {
    private static final Logger LOG = LoggerFactory.getLogger(ServerProtection.class);
    /** File descriptors kept for everything but inbound connections: jars, the store, outbound HTTP, AWS clients. */
    static final int RESERVED_FILES = 256;

    private final OpsGateConfig.HttpLimits limits;
    private final BodyBudget bodies;
    private final HttpServerMetrics metrics;
    private final ConnectionGuard guard;

    public ServerProtection(Vertx vertx, OpsGateConfig.HttpLimits limits, PrometheusRegistry registry) {
        this.limits = limits;
        this.bodies = new BodyBudget(limits.maxInflightBodyBytes());
        int maxConnections = effectiveMaxConnections(limits.maxConnections(), openFileLimit());
        this.metrics = new HttpServerMetrics(registry, bodies, maxConnections);
        this.guard = new ConnectionGuard(vertx, limits.requestHeaderTimeout(), limits.requestBodyTimeout(),
                limits.idleTimeout(), maxConnections, metrics);
    }

    /**
     * {@code server.max_connections}, lowered to leave {@link #RESERVED_FILES} of the process's open-file limit free:
     * beyond that limit accept() fails and nothing, not even {@code /-/healthy}, is answered.
     */
    static int effectiveMaxConnections(int configured, long openFileLimit) {
        if (openFileLimit <= 0 || openFileLimit - RESERVED_FILES >= configured) {
            return configured;
        }
        int lowered = (int) Math.max(8, openFileLimit - RESERVED_FILES);
        LOG.warn("server.max_connections {} lowered to {}: the process may open {} files (ulimit -n), {} of them kept "
                + "for the store, outbound requests and the JVM", configured, lowered, openFileLimit, RESERVED_FILES);
        return lowered;
    }

    private static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    public HttpServerOptions apply(HttpServerOptions options) {
        // No byte either way for this long: a stalled reader of a large answer, a client gone without a FIN. Never
        // shorter than the head and body deadlines, whose own timers answer (408) and count what they close.
        long ms = Math.max(limits.idleTimeout().toMillis(),
                Math.max(limits.requestHeaderTimeout().toMillis(), limits.requestBodyTimeout().toMillis()) + 1000);
        return options.setIdleTimeout((int) Math.min(Integer.MAX_VALUE, ms)).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** Mounts the per-request deadlines; call before the server takes requests. */
    public void mount(Router router) {
        guard.mount(router);
    }

    public HttpServer install(HttpServer server) {
        return server.connectionHandler(guard::opened);
    }

    public BodyBudget bodies() {
        return bodies;
    }

    /** What to call for each request answered 503 for want of room in {@link #bodies()}. */
    public Runnable onBodyRefused() {
        return metrics::bodyRefused;
    }

    public int maxConnections() {
        return guard.maxConnections();
    }
}
