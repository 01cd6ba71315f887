package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A channel test's Vert.x and WebClient, one per class; subclasses start the destination's stand-in per test. */
abstract class ChannelTestBase {
    static Vertx vertx;
    static WebClient client;

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
}
