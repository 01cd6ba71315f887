package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A channel test's world: one Vert.x and WebClient per class, a fresh HTTP sink standing in for the destination per test. */
abstract class SinkTestBase {
    static Vertx vertx;
    static WebClient client;
    HttpSink sink;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stopVertx() throws Exception {
        client.close();
        await(vertx.close());
    }

    @BeforeEach
    void startSink() throws Exception {
        sink = HttpSink.start(vertx);
    }

    @AfterEach
    void stopSink() throws Exception {
        sink.close();
    }
}
