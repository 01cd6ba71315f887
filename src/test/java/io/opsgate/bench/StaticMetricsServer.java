package io.opsgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline of the scrape benchmark: a minimal Vert.x server, in its own JVM like the service, that
 * answers {@code GET /metrics} with bytes loaded once from files (a body captured from the service, plain
 * and gzipped). Whatever the service costs beyond this is the price of its own request handling.
 *
 * <p>Usage: {@code StaticMetricsServer PORT PLAIN_FILE GZIP_FILE}; prints {@code listening PORT} when ready.
 */
public final class StaticMetricsServer {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private StaticMetricsServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        // Vert.x duplicates a Buffer's ByteBuf on every write, so one Buffer can answer any number of responses.
        Buffer plain = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
        Buffer gzip = Buffer.buffer(Files.readAllBytes(Path.of(args[2])));
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    String encoding = request.getHeader(HttpHeaders.ACCEPT_ENCODING);
                    boolean gzipped = encoding != null && encoding.contains("gzip");
                    Buffer body = gzipped ? gzip : plain;
                    request.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                            .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
                    if (gzipped) {
                        request.response().putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
                    }
                    request.response().end(body);
                })
                .listen()
                .onSuccess(server -> System.out.println("listening " + server.actualPort()))
                .onFailure(e -> {
                    System.err.println("static server: " + e);
                    System.exit(1);
                });
    }
}
