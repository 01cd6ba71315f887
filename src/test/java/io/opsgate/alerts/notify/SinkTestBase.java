package io.opsgate.alerts.notify;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A channel test whose destination is a fresh HTTP sink per test. */
abstract class SinkTestBase extends ChannelTestBase {
    HttpSink sink;

    @BeforeEach
    void startSink() throws Exception {
        sink = HttpSink.start(vertx);
    }

    @AfterEach
    void stopSink() throws Exception {
        sink.close();
    }
}
