package io.opsgate.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: {@code clients} scrapers, one keep-alive connection each, each sending its
 * next GET as soon as the previous response has been read to the end. Bodies are counted, not kept and not
 * decompressed, so the generator does as little work per byte as possible.
 */
final class ScrapeLoad implements AutoCloseable {

    /** One batch of requests against one target: per-request latencies in nanoseconds and the batch's wall time. */
    record Batch(long[] latenciesNanos, long wallNanos, long bodyBytes) {
    }

    private final HttpClientAgent client;
    private final int clients;

    ScrapeLoad(Vertx vertx, int clients) {
        this.clients = clients;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(clients));
    }

    Future<Batch> run(int port, String path, boolean gzip, int requests) {
        Promise<Batch> done = Promise.promise();
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= requests) {
                return;
            }
            long t0 = System.nanoTime();
            scrape(port, path, gzip).onComplete(ar -> {
                if (ar.failed()) {
                    done.tryFail(ar.cause());
                    return;
                }
                latencies[i] = System.nanoTime() - t0;
                bytes.addAndGet(ar.result());
                if (finished.incrementAndGet() == requests) {
                    done.tryComplete(new Batch(latencies, System.nanoTime() - start, bytes.get()));
                } else {
                    loop[0].run();
                }
            });
        };
        for (int c = 0; c < Math.min(clients, requests); c++) {
            loop[0].run();
        }
        return done.future();
    }

    /** One GET read to the end; fails on a non-200 status or a body shorter or longer than its Content-Length. */
    private Future<Long> scrape(int port, String path, boolean gzip) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", path)
                .compose(request -> {
                    if (gzip) {
                        request.putHeader(HttpHeaders.ACCEPT_ENCODING, "gzip");
                    }
                    return request.send();
                })
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("HTTP " + response.statusCode() + " from port " + port);
                    }
                    long declared = Long.parseLong(response.getHeader(HttpHeaders.CONTENT_LENGTH));
                    long[] received = new long[1];
                    response.handler(chunk -> received[0] += chunk.length());
                    return response.end().compose(v -> received[0] == declared ? Future.succeededFuture(received[0])
                            : Future.failedFuture("body of " + received[0] + " bytes, Content-Length " + declared));
                });
    }

    @Override
    public void close() {
        client.close();
    }
}
