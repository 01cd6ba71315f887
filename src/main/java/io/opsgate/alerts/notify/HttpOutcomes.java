package io.opsgate.alerts.notify;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Maps an HTTP exchange to a {@link DeliveryOutcome}: 2xx delivered; 408, 429, 5xx and transport failures are
 * transient (with the server's {@code Retry-After}); any other status is permanent, reported with the status and the
 * start of the body, which is where Slack and PagerDuty explain what they rejected. Every reason is redacted of
 * configured secrets before it is cut, so no part of a secret survives at the cut.
 */
final class HttpOutcomes {
    private static final int MAX_BODY_CHARS = 300;

    private HttpOutcomes() {
    }

    static DeliveryOutcome of(HttpResponse<Buffer> response, Clock clock, SecretRedactor redactor) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(status);
        }
        String reason = "HTTP " + status + body(response, redactor);
        if (status == 408 || status == 429 || status >= 500) {
            return new DeliveryOutcome.RetryLater(reason, RetryAfter.parse(response.getHeader("Retry-After"), clock));
        }
        return new DeliveryOutcome.Failed(reason);
    }

    static DeliveryOutcome ofFailure(Throwable failure, SecretRedactor redactor) {
        String what = failure instanceof TimeoutException || String.valueOf(failure.getMessage()).contains("timeout")
                ? "timeout" : "transport error";
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new DeliveryOutcome.RetryLater(what + ": " + oneLine(redactor.redact(message)), Optional.empty());
    }

    private static String body(HttpResponse<Buffer> response, SecretRedactor redactor) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return "";
        }
        String raw = body.toString();
        // enough of the body that a secret crossing the cut is still whole when redacted
        raw = raw.substring(0, Math.min(raw.length(), 2 * MAX_BODY_CHARS + redactor.longest()));
        String text = oneLine(redactor.redact(raw).strip());
        if (text.length() > MAX_BODY_CHARS) {
            text = text.substring(0, MAX_BODY_CHARS) + "...";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ");
    }
}
