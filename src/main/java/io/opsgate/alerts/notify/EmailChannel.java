package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one email per notification over SMTP with Vert.x's mail client (non-blocking, a small pool of kept-alive
 * connections per destination): {@code multipart/alternative} with a text part and an HTML part, From, To and
 * Subject rendered from templates, and the notification's idempotency key as the {@code Message-ID}
 * ({@code <key@opsgate>}) and in {@code X-OpsGate-Idempotency-Key}, the same on every attempt, so a re-sent message
 * is recognisable as a duplicate by mail clients and filters.
 *
 * <p>STARTTLS {@code required} (the default) never sends a message in clear text: a server that does not offer
 * STARTTLS fails the delivery for good. Implicit TLS (SMTPS) is used on port 465, as Alertmanager does.
 *
 * <p>Outcomes: a 5xx SMTP reply (bad recipient, authentication refused: 535) is permanent; a 4xx reply (greylisting,
 * mailbox busy, 421 shutting down), a refused or lost connection and a timeout are retried. Size: the subject is one
 * line cut to {@link #MAX_SUBJECT_CHARS}; text and HTML list the alerts that fit {@link #MAX_TEXT_CHARS} and
 * {@link #MAX_HTML_CHARS} and name how many more there are.
 */
final class EmailChannel extends ConfiguredChannel implements AutoCloseable {
    static final String TYPE = "email";
    static final int MAX_SUBJECT_CHARS = 250;
    static final int MAX_TEXT_CHARS = 256 * 1024;
    static final int MAX_HTML_CHARS = 512 * 1024;
    static final int MAX_ADDRESS_CHARS = 4096;
    private static final String HTML_START = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
            + "<body style=\"font-family: sans-serif\">\n";
    private static final String HTML_END = "\n</body></html>\n";
    static final String IDEMPOTENCY_HEADER = "X-OpsGate-Idempotency-Key";
    /** The port of SMTP over implicit TLS (RFC 8314). */
    static final int SMTPS_PORT = 465;

    private final OpsGateConfig.EmailConfig config;
    private final MessageTemplate to;
    private final MessageTemplate from;
    private final MessageTemplate subject;
    private final MessageTemplate html;
    private final MessageTemplate text;
    private final MailClient client;

    /** @param html compiled with {@code TemplateEngine.html()} (values escaped); the others plain */
    EmailChannel(String id, OpsGateConfig.EmailConfig config, MessageTemplate to, MessageTemplate from,
                 MessageTemplate subject, MessageTemplate html, MessageTemplate text, Vertx vertx,
                 SecretRedactor redactor) {
        super(id, TYPE, config.delivery(), redactor);
        this.config = config;
        this.to = to;
        this.from = from;
        this.subject = subject;
        this.html = html;
        this.text = text;
        this.client = MailClient.create(vertx, mailConfig(config));
    }

    static MailConfig mailConfig(OpsGateConfig.EmailConfig c) {
        int timeoutMs = (int) Math.max(1, c.delivery().timeout().toMillis());
        MailConfig mail = new MailConfig()
                .setHostname(c.host())
                .setPort(c.port())
                .setSsl(c.port() == SMTPS_PORT)
                .setStarttls(switch (c.startTls()) {
                    case REQUIRED -> StartTLSOptions.REQUIRED;
                    case OPTIONAL -> StartTLSOptions.OPTIONAL;
                    case NONE -> StartTLSOptions.DISABLED;
                })
                .setLogin(c.username() == null ? LoginOption.DISABLED : LoginOption.REQUIRED)
                .setUsername(c.username())
                .setPassword(c.password())
                .setKeepAlive(true)
                .setMaxPoolSize(2)
                .setConnectTimeout(timeoutMs);
        mail.setIdleTimeout(timeoutMs);
        mail.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (c.hello() != null) {
            mail.setOwnHostname(c.hello());
        }
        if (c.insecureSkipVerify()) {
            mail.setTrustAll(true);
            mail.setHostnameVerificationAlgorithm("");
        } else {
            // A certificate for another name is as bad as none: check the name as HTTPS does.
            mail.setHostnameVerificationAlgorithm("HTTPS");
            if (c.caFile() != null) {
                mail.setTrustOptions(new PemTrustOptions().addCertPath(c.caFile()));
            }
        }
        return mail;
    }

    @Override
    Future<DeliveryOutcome> send(Notification n) {
        MailMessage message = message(n);
        long millis = Math.max(1, config.delivery().timeout().toMillis());
        return client.sendMail(message)
                .timeout(millis, TimeUnit.MILLISECONDS)
                .<DeliveryOutcome>map(result -> new DeliveryOutcome.Delivered(250))
                .otherwise(this::outcome);
    }

    MailMessage message(Notification n) {
        Map<String, Object> data = TemplateData.of(n);
        List<String> recipients = Arrays.stream(oneLine(to.render(data, MAX_ADDRESS_CHARS).text()).split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Message-ID", messageId(n.idempotencyKey()))
                .add(IDEMPOTENCY_HEADER, n.idempotencyKey())
                .add("X-OpsGate-Receiver", oneLine(TextBudget.cut(n.receiver(), 200)))
                .add("X-OpsGate-Status", n.status().wire());
        return new MailMessage()
                .setFrom(oneLine(from.render(data, MAX_ADDRESS_CHARS).text()).strip())
                .setTo(recipients)
                .setSubject(TextBudget.cut(oneLine(TextBudget.cut(subject.render(data, MAX_SUBJECT_CHARS), MAX_SUBJECT_CHARS)).strip(), MAX_SUBJECT_CHARS))
                .setText(TextBudget.fit(text, n, n.alerts(), MAX_TEXT_CHARS, t -> true).text())
                // the template renders the body's content, so the "… and N more alerts" line lands inside it
                .setHtml(HTML_START + TextBudget.fit(html, n, n.alerts(), MAX_HTML_CHARS, t -> true).text() + HTML_END)
                .setHeaders(headers);
    }

    /** RFC 5322 msg-id: the key is ours ({@code opsgate-<id>} or a hash), kept to the characters a dot-atom allows. */
    static String messageId(String idempotencyKey) {
        return "<" + idempotencyKey.replaceAll("[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]", "_") + "@opsgate>";
    }

    private DeliveryOutcome outcome(Throwable failure) {
        if (failure instanceof SMTPException smtp) {
            String reason = "SMTP " + smtp.getReplyCode() + ": " + oneLine(String.valueOf(smtp.getReplyMessage()));
            reason = TextBudget.cut(redactor().redact(reason), 300);
            return smtp.isPermanent() ? new DeliveryOutcome.Failed(reason)
                    : new DeliveryOutcome.RetryLater(reason, Optional.empty());
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        message = TextBudget.cut(oneLine(redactor().redact(message)), 300);
        if (message.contains("STARTTLS") && config.startTls() == OpsGateConfig.StartTls.REQUIRED) {
            // "STARTTLS required but not supported by server": retrying would not change it, and clear text is
            // not allowed.
            return new DeliveryOutcome.Failed("TLS refused: " + message);
        }
        if (failure instanceof IllegalArgumentException) {
            // an address the templates rendered that the client cannot use: the same on every attempt
            return new DeliveryOutcome.Failed("invalid message: " + message);
        }
        String what = failure instanceof TimeoutException || message.contains("timeout") ? "timeout" : "SMTP error";
        return new DeliveryOutcome.RetryLater(what + ": " + message, Optional.empty());
    }

    private static String oneLine(String s) {
        // no header injection from label values: CR and LF end a header line
        return s.replaceAll("[\\r\\n]+", " ");
    }

    @Override
    public void close() {
        client.close();
    }
}
