package io.opsgate.cli;

import io.opsgate.OpsGateService;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;

/** Starts the service on a fresh Vert.x, then blocks until the JVM is asked to stop (SIGINT/SIGTERM). */
final class ServiceRunner {
    private ServiceRunner() {
    }

    static OpsGateConfig withListen(OpsGateConfig config, OpsGateConfig.Server listen) {
        return listen == null ? config : config.withServer(config.server().withAddressOf(listen));
    }

    /**
     * @param prepare   runs first on the new Vert.x (the demo starts its simulator here) and yields the config
     * @param onStarted told the service's actual port once it listens
     * @return the process exit code
     */
    static int runUntilStopped(Function<Vertx, Future<OpsGateConfig>> prepare, IntConsumer onStarted, PrintWriter err)
            throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        OpsGateService service;
        try {
            service = prepare.apply(vertx)
                    .compose(config -> OpsGateService.start(vertx, config, Clock.systemUTC()))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("opsgate: " + cause.getMessage());
            err.flush();
            vertx.close();
            return 1;
        }
        onStarted.accept(service.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            await(service.stop());
            await(vertx.close());
            stopped.countDown();
        }, "opsgate-shutdown"));
        stopped.await();
        return 0;
    }

    private static void await(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down: a slow or failed close must not block the exit
        }
    }
}
