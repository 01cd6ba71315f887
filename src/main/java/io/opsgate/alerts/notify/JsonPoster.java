package io.opsgate.alerts.notify;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** POSTs one JSON body with a deadline and turns whatever happens into a {@link DeliveryOutcome}; never fails. */
final class JsonPoster {
    private final WebClient client;
    private final Clock clock;
    private final Duration timeout;
    private final SecretRedactor redactor;

    JsonPoster(WebClient client, Clock clock, Duration timeout, SecretRedactor redactor) {
        this.client = client;
        this.clock = clock;
        this.timeout = timeout;
        this.redactor = redactor;
    }

    Future<DeliveryOutcome> post(String url, Buffer json, MultiMap headers) {
        HttpRequest<Buffer> request;
        try {
            request = client.postAbs(url);
        } catch (RuntimeException e) {
            return Future.succeededFuture(new DeliveryOutcome.Failed("invalid URL: " + redactor.redact(e.getMessage())));
        }
        long millis = Math.max(1, timeout.toMillis());
        request.putHeader("Content-Type", "application/json")
                .putHeaders(headers)
                // connect and idle limit; the future's timeout below bounds a server that trickles bytes
                .timeout(millis);
        return request.sendBuffer(json)
                .timeout(millis, TimeUnit.MILLISECONDS)
                .map(response -> HttpOutcomes.of(response, clock, redactor))
                .otherwise(failure -> HttpOutcomes.ofFailure(failure, redactor));
    }
}
