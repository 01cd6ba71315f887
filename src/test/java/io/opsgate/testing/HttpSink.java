package io.opsgate.testing;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A local HTTP server standing in for Slack or a webhook receiver: records every request and answers from a
 * script (status codes and headers), then with the default answer.
 */
public final class HttpSink implements AutoCloseable {
    /** One request as it arrived (recorded before it is answered); header names in lower case. */
    public record Received(Instant at, String path, String body, int answeredWith, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** @param after the answer is sent once this completes: a request held open, as a slow destination does */
    public record Answer(int status, String body, Consumer<HttpServerResponse> headers, CompletionStage<?> after) {
        public Answer(int status, String body, Consumer<HttpServerResponse> headers) {
            this(status, body, headers, CompletableFuture.completedFuture(null));
        }

        public static Answer of(int status) {
            return new Answer(status, status == 200 ? "ok" : "error " + status, r -> {
            });
        }

        /** 200, but only once {@code release} completes: the request stays in flight until then. */
        public static Answer heldUntil(CompletionStage<?> release) {
            return new Answer(200, "ok", r -> {
            }, release);
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
            Map<String, String> headers = new TreeMap<>();
            req.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b));
            sink.record(new Received(Instant.now(), req.path(), body.toString(), answer.status(), Map.copyOf(headers)));
            Context context = vertx.getOrCreateContext();
            answer.after().whenComplete((ignored, error) -> context.runOnContext(v -> {
                if (req.response().closed()) {
                    return; // the client went away while the answer was held
                }
                answer.headers().accept(req.response());
                req.response().setStatusCode(answer.status()).end(answer.body());
            }));
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
