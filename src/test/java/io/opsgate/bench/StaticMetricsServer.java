package io.opsgate.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline of the scrape benchmark: a minimal Vert.x server, in its own JVM like the service, that
 * answers {@code GET /metrics} with bytes loaded once from files (a body captured from the service, plain
 * and gzipped) into off-heap memory, so that every response is written without a copy, as a static file
 * server using sendfile would. Whatever the service costs beyond this is the price of its own handling.
 *
 * <p>Usage: {@code StaticMetricsServer PORT PLAIN_FILE GZIP_FILE}; prints {@code listening PORT} when ready.
 */
public final class StaticMetricsServer {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private StaticMetricsServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ByteBuf plain = offHeap(Files.readAllBytes(Path.of(args[1])));
        ByteBuf gzip = offHeap(Files.readAllBytes(Path.of(args[2])));
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    String encoding = request.getHeader(HttpHeaders.ACCEPT_ENCODING);
                    boolean gzipped = encoding != null && encoding.contains("gzip");
                    ByteBuf body = gzipped ? gzip : plain;
                    request.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                            .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.readableBytes()));
                    if (gzipped) {
                        request.response().putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
                    }
                    // A view per response: own indices over the shared memory, which it cannot release.
                    request.response().end(BufferInternal.buffer(body.duplicate()));
                })
                .listen()
                .onSuccess(server -> System.out.println("listening " + server.actualPort()))
                .onFailure(e -> {
                    System.err.println("static server: " + e);
                    System.exit(1);
                });
    }

    private static ByteBuf offHeap(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()));
    }
}
