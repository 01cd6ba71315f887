package io.opsgate.alerts.notify;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on a loopback port standing in for Slack, PagerDuty or a webhook: it records every request and
 * answers with the scripted responses in order (200 once the script is used up). A response with status 0 never
 * answers, to exercise timeouts.
 */
final class HttpSink implements AutoCloseable {
    record Received(String method, String path, MultiMap headers, Buffer body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    record Reply(int status, Map<String, String> headers, String body) {
        static Reply of(int status) {
            return new Reply(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();

    private HttpSink(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            received.add(new Received(req.method().name(), req.path(),
                    MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
            Reply reply = script.poll();
            if (reply == null) {
                reply = Reply.of(200);
            }
            if (reply.status() == 0) {
                return;
            }
            req.response().setStatusCode(reply.status());
            reply.headers().forEach(req.response()::putHeader);
            req.response().end(reply.body());
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static HttpSink start(Vertx vertx) throws Exception {
        return new HttpSink(vertx);
    }

    HttpSink reply(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
