package io.opsgate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A local HTTP server standing in for Slack or a webhook receiver: records every request and answers from a
 * script (status codes and headers), then with the default answer.
 */
public final class HttpSink implements AutoCloseable {
    public record Received(Instant at, String path, String body, int answeredWith) {
    }

    public record Answer(int status, String body, Consumer<HttpServerResponse> headers) {
        public static Answer of(int status) {
            return new Answer(status, status == 200 ? "ok" : "error " + status, r -> {
            });
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private Answer otherwise = Answer.of(200);

    private HttpSink(HttpServer server) {
        this.server = server;
    }

    public static HttpSink start(Vertx vertx) throws Exception {
        HttpSink[] holder = new HttpSink[1];
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            HttpSink sink = holder[0];
            Answer answer = sink.next();
            sink.record(new Received(Instant.now(), req.path(), body.toString(), answer.status()));
            answer.headers().accept(req.response());
            req.response().setStatusCode(answer.status()).end(answer.body());
        }));
        holder[0] = new HttpSink(server);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return holder[0];
    }

    private synchronized Answer next() {
        return script.isEmpty() ? otherwise : script.poll();
    }

    private synchronized void record(Received r) {
        received.add(r);
    }

    public synchronized HttpSink then(Answer answer) {
        script.add(answer);
        return this;
    }

    public synchronized HttpSink otherwise(Answer answer) {
        otherwise = answer;
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
