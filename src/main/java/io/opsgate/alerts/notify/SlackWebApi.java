package io.opsgate.alerts.notify;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Calls Slack's Web API with a bot token and reads its answers. Slack answers most errors with HTTP 200 and
 * {@code {"ok": false, "error": "..."}}, so the outcome of a call is read from the body: {@code ratelimited} (or an
 * HTTP 429 with {@code Retry-After}) and Slack's own trouble are transient, every other error is permanent
 * ({@code invalid_auth}, {@code channel_not_found}, {@code not_in_channel}, ...) and named in the reason. The caller
 * handles the errors that mean "post a new message" ({@code message_not_found} on an update).
 * <p>
 * The token goes only into the {@code Authorization} header, never into a URL or body, and every reason is redacted.
 */
final class SlackWebApi {
    /** Errors Slack documents as temporary: worth the same request again later. */
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "rate_limited", "internal_error",
            "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org");

    /**
     * What a call achieved: the answer's body when Slack said {@code ok}, else the {@link DeliveryOutcome} to
     * report, with Slack's error code when it named one.
     */
    record Answer(JsonObject body, String error, DeliveryOutcome failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final WebClient client;
    private final Clock clock;
    private final String baseUrl;
    private final String token;
    private final Duration timeout;
    private final SecretRedactor redactor;

    SlackWebApi(WebClient client, Clock clock, String baseUrl, String token, Duration timeout,
                SecretRedactor redactor) {
        this.client = client;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
        this.redactor = redactor;
    }

    /** A write method (chat.postMessage, chat.update) with a JSON body. */
    Future<Answer> call(String method, JsonObject body) {
        return send(method, "application/json; charset=utf-8", body.toBuffer());
    }

    /** A read method (conversations.history) with form arguments, which every method accepts. */
    Future<Answer> callForm(String method, MultiMap form) {
        StringBuilder encoded = new StringBuilder();
        form.forEach(e -> encoded.append(encoded.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)));
        return send(method, "application/x-www-form-urlencoded", Buffer.buffer(encoded.toString()));
    }

    private Future<Answer> send(String method, String contentType, Buffer body) {
        HttpRequest<Buffer> request;
        try {
            request = client.postAbs(baseUrl + method);
        } catch (RuntimeException e) {
            return Future.succeededFuture(new Answer(null, null,
                    new DeliveryOutcome.Failed("invalid URL: " + redactor.redact(e.getMessage()))));
        }
        long millis = Math.max(1, timeout.toMillis());
        request.putHeader("Content-Type", contentType)
                .putHeader("Authorization", "Bearer " + token)
                .timeout(millis);
        return request.sendBuffer(body)
                .timeout(millis, TimeUnit.MILLISECONDS)
                .map(response -> answer(method, response))
                .otherwise(failure -> new Answer(null, null, HttpOutcomes.ofFailure(failure, redactor)));
    }

    private Answer answer(String method, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            DeliveryOutcome outcome = HttpOutcomes.of(response, clock, redactor);
            return new Answer(null, null, redactor.redact(prefixed(method, outcome)));
        }
        JsonObject body;
        try {
            body = response.body() == null ? null : response.body().toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            // A proxy's page, not Slack: the request may or may not have been taken; try again later.
            return new Answer(null, null, new DeliveryOutcome.RetryLater("slack " + method
                    + ": HTTP " + status + " without a JSON answer", Optional.empty()));
        }
        if (body.getBoolean("ok", false)) {
            return new Answer(body, null, null);
        }
        String error = String.valueOf(body.getValue("error", "unknown_error"));
        String reason = redactor.redact("slack " + method + ": " + error);
        if (TRANSIENT.contains(error)) {
            return new Answer(body, error, new DeliveryOutcome.RetryLater(reason,
                    RetryAfter.parse(response.getHeader("Retry-After"), clock)));
        }
        return new Answer(body, error, new DeliveryOutcome.Failed(reason));
    }

    private static DeliveryOutcome prefixed(String method, DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.RetryLater r) {
            return new DeliveryOutcome.RetryLater("slack " + method + ": " + r.reason(), r.retryAfter());
        }
        if (outcome instanceof DeliveryOutcome.Failed f) {
            return new DeliveryOutcome.Failed("slack " + method + ": " + f.reason());
        }
        return outcome;
    }
}
