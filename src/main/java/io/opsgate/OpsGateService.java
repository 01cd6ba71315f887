package io.opsgate;

import io.opsgate.build.BuildInfo;
import io.opsgate.alerts.AlertsService;
import io.opsgate.alerts.notify.AlertDestinations;
import io.opsgate.aws.AwsClientFactory;
import io.opsgate.aws.AwsRequestMetrics;
import io.opsgate.collect.CollectionLoop;
import io.opsgate.collect.CollectionMetrics;
import io.opsgate.collect.SnapshotStore;
import io.opsgate.collect.TargetAssignment;
import io.opsgate.database.Databases;
import io.opsgate.replica.CollectorReplicas;
import com.zaxxer.hikari.HikariDataSource;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.discovery.DiscoveryMetrics;
import io.opsgate.discovery.InventoryRefresher;
import io.opsgate.discovery.InventoryStore;
import io.opsgate.discovery.TargetLists;
import io.opsgate.http.HttpApi;
import io.opsgate.http.MetricsEndpoint;
import io.opsgate.http.RequestAuth;
import io.opsgate.http.SdEndpoint;
import io.opsgate.http.ServerProtection;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.security.SecureRandom;
import java.time.Clock;

/** Wires the exporter: AWS clients, the collection loop, the snapshot and the HTTP API. */
public final class OpsGateService {
    /** Connections for the collection leases and results: one round and one publication or fetch at a time. */
    private static final int REPLICA_POOL_SIZE = 3;
    private final Vertx vertx;
    private final AwsClientFactory clients;
    private final CollectionLoop loop;
    private final MetricsEndpoint metrics;
    private final SnapshotStore store;
    private final SdEndpoint discovery;
    private final AlertDestinations alertDestinations;
    private final AlertsService alerts;
    private final ServerProtection protection;
    /** Null unless the alert store is PostgreSQL: then replicas share the collection. */
    private final CollectorReplicas replicas;
    private final HikariDataSource replicaPool;
    private HttpServer server;

    private OpsGateService(Vertx vertx, OpsGateConfig config, Clock clock) {
        this.vertx = vertx;
        PrometheusRegistry self = new PrometheusRegistry();
        JvmMetrics.builder().register(self);
        Info.builder().name("opsgate_build_info").help("OpsGate version; value is always 1.")
                .labelNames("version").register(self).addLabelValues(BuildInfo.load().version());
        AwsRequestMetrics awsMetrics = new AwsRequestMetrics(self);
        this.clients = new AwsClientFactory(config.aws(), config.collection().concurrency() * 2, awsMetrics);
        this.store = new SnapshotStore();
        this.metrics = new MetricsEndpoint(vertx, self);
        this.protection = new ServerProtection(vertx, config.server().limits(), self);
        InventoryStore inventory = new InventoryStore();
        DiscoveryMetrics discoveryMetrics = new DiscoveryMetrics(self);
        // Re-renders wait a moment so that the targets of one collection round, finishing one after another,
        // cost one pass rather than one each.
        TargetLists targetLists = new TargetLists(inventory, task -> vertx.setTimer(250, id -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false)));
        CollectionMetrics collectionMetrics = new CollectionMetrics(self, config.collection().costAware().pricePer1000Metrics());
        OpsGateConfig.Store alertStore = config.alerts().store();
        if (alertStore.type() == OpsGateConfig.StoreType.POSTGRES) {
            OpsGateConfig.Database db = alertStore.database();
            this.replicaPool = Databases.pool(new OpsGateConfig.Database(db.url(), db.user(), db.password(),
                    REPLICA_POOL_SIZE), "collection");
            this.replicas = new CollectorReplicas(vertx, holderName(), replicaPool, Databases.unpooled(db),
                    Databases.describe(db), alertStore.lease(), config.collection().interval(), store,
                    metrics::onSnapshot, inventory, discoveryMetrics, targetLists::onInventory, collectionMetrics, self);
        } else {
            this.replicaPool = null;
            this.replicas = null;
        }
        this.loop = new CollectionLoop(vertx, config, clients, store, collectionMetrics, clock,
                new SecureRandom(), metrics::onSnapshot,
                new InventoryRefresher(config.discovery().kinds(), inventory, discoveryMetrics, clock, targetLists::onInventory),
                replicas == null ? TargetAssignment.ALL : replicas);
        this.discovery = new SdEndpoint(vertx, targetLists, config.discovery(), loop::ready, discoveryMetrics);
        if (config.alerts().enabled()) {
            this.alertDestinations = AlertDestinations.create(vertx, config, clock, clients);
            this.alerts = AlertsService.create(vertx, config.alerts(), alertDestinations.router(),
                    alertDestinations.channelsByReceiver(), self, clock, protection.bodies(), protection.onBodyRefused());
        } else {
            this.alertDestinations = null;
            this.alerts = null;
        }
    }

    /**
     * Starts listening, then starts collecting. The returned future fails, with a message saying which, if the alert
     * store cannot be opened or the port cannot be bound.
     */
    public static Future<OpsGateService> start(Vertx vertx, OpsGateConfig config, Clock clock) {
        OpsGateService service;
        try {
            service = new OpsGateService(vertx, config, clock);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        // No h2c upgrade: Prometheus and Alertmanager speak HTTP/1.1, and Vert.x's upgrade path broke large
        // responses to clients that offer it (the JDK HttpClient does by default): "exceeds MAX_FRAME_SIZE".
        HttpServerOptions options = service.protection.apply(new HttpServerOptions()
                .setHost(config.server().listenHost())
                .setPort(config.server().listenPort())
                .setHttp2ClearTextEnabled(false));
        io.vertx.ext.web.Router router = HttpApi.router(vertx, service.metrics, service.loop::ready,
                RequestAuth.of(config.server().metricsAuth()));
        service.protection.mount(router);
        service.discovery.mount(router);
        if (service.alerts != null) {
            service.alerts.mount(router);
        }
        Future<Void> alertsStarted = service.alerts == null ? Future.succeededFuture() : service.alerts.start();
        return alertsStarted.compose(v -> service.protection.install(vertx.createHttpServer(options))
                .requestHandler(router)
                .listen()
                .recover(e -> Future.failedFuture(new IllegalStateException("cannot listen on "
                        + config.server().urlHost() + ":" + config.server().listenPort() + ": " + e.getMessage(), e))))
                .map(server -> {
                    service.server = server;
                    service.loop.start();
                    if (service.replicas != null) {
                        service.replicas.start(service.loop);
                    }
                    return service;
                })
                .onFailure(e -> service.closeAlerts());
    }

    public int port() {
        return server.actualPort();
    }

    public CollectionLoop collection() {
        return loop;
    }

    public SnapshotStore snapshots() {
        return store;
    }

    public MetricsEndpoint metricsEndpoint() {
        return metrics;
    }

    /** The replica's share of the collection, or null when it collects alone (no PostgreSQL store). */
    public CollectorReplicas replicas() {
        return replicas;
    }

    public Future<Void> stop() {
        loop.stop();
        Future<Void> released = replicas == null ? Future.succeededFuture()
                : replicas.stop().eventually(() -> vertx.executeBlocking(() -> {
                    replicaPool.close();
                    return null;
                }, false));
        Future<Void> closed = released.transform(ar -> server == null ? Future.succeededFuture() : server.close());
        return closed.transform(ar -> {
            clients.close();
            return closeAlerts();
        });
    }

    /** A replica's name in the lease table: the host (as containers and pods name it), the process and a nonce. */
    private static String holderName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "opsgate");
        return host + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(new SecureRandom().nextInt(0x1000000) | 0x1000000).substring(1);
    }

    private Future<Void> closeAlerts() {
        if (alerts == null) {
            return Future.succeededFuture();
        }
        return alerts.stop().onComplete(ar -> alertDestinations.close());
    }
}
