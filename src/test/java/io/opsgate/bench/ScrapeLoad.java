package io.opsgate.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A closed-loop load generator: {@code clients} scrapers, one keep-alive connection each, each sending its
 * next GET as soon as the previous response has been read to the end. Bodies are counted, not kept and not
 * decompressed, so the generator does as little work per byte as possible. Each scraper lives on its own
 * Vert.x context (spread over the event loops), so its callbacks run in order on one thread and a body
 * handler is always in place before the first chunk arrives.
 */
final class ScrapeLoad implements AutoCloseable {

    /** One batch of requests against one target: per-request latencies in nanoseconds and the batch's wall time. */
    record Batch(long[] latenciesNanos, long wallNanos, long bodyBytes) {
    }

    private final List<Context> contexts = new ArrayList<>();
    private final List<HttpClientAgent> scrapers = new ArrayList<>();

    ScrapeLoad(Vertx vertx, int clients) {
        for (int c = 0; c < clients; c++) {
            contexts.add(vertx.getOrCreateContext());
            scrapers.add(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(1)));
        }
    }

    @SuppressWarnings("unchecked")
    Future<Batch> run(int port, String path, boolean gzip, int requests) {
        Promise<Batch> done = Promise.promise();
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        Consumer<HttpClientAgent>[] loop = new Consumer[1];
        loop[0] = scraper -> {
            int i = next.getAndIncrement();
            if (i >= requests) {
                return;
            }
            long t0 = System.nanoTime();
            scrape(scraper, port, path, gzip).onComplete(ar -> {
                if (ar.failed()) {
                    done.tryFail(ar.cause());
                    return;
                }
                latencies[i] = System.nanoTime() - t0;
                bytes.addAndGet(ar.result());
                if (finished.incrementAndGet() == requests) {
                    done.tryComplete(new Batch(latencies, System.nanoTime() - start, bytes.get()));
                } else {
                    loop[0].accept(scraper);
                }
            });
        };
        for (int c = 0; c < scrapers.size(); c++) {
            HttpClientAgent scraper = scrapers.get(c);
            contexts.get(c).runOnContext(v -> loop[0].accept(scraper));
        }
        return done.future();
    }

    /** One GET read to the end; fails on a non-200 status or a body shorter or longer than its Content-Length. */
    private static Future<Long> scrape(HttpClientAgent scraper, int port, String path, boolean gzip) {
        return scraper.request(HttpMethod.GET, port, "127.0.0.1", path)
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
        scrapers.forEach(HttpClientAgent::close);
    }
}
