package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.logging.LogText;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one log line per alert: the destination that needs no credentials, used by {@code opsgate demo} and as the
 * default receiver. Lines name the receiver, route and fingerprint; the message comes from the {@code text} template,
 * cut to {@link #MAX_MESSAGE_CHARS} (a log line stays one line: Docker's json-file driver splits lines at 16 KiB)
 * with line breaks and control characters escaped.
 */
final class LogChannel extends ConfiguredChannel {
    static final String TYPE = "log";
    static final int MAX_MESSAGE_CHARS = 4096;
    private static final Logger LOG = LoggerFactory.getLogger("io.opsgate.alerts.log");

    private final OpsGateConfig.LogConfig config;
    private final MessageTemplate text;
    private final Consumer<String> sink;

    LogChannel(String id, OpsGateConfig.LogConfig config, MessageTemplate text) {
        this(id, config, text, LOG::info);
    }

    /** @param sink receives each line; tests pass a list's add */
    LogChannel(String id, OpsGateConfig.LogConfig config, MessageTemplate text, Consumer<String> sink) {
        super(id, TYPE, config.delivery(), SecretRedactor.NONE);
        this.config = config;
        this.text = text;
        this.sink = sink;
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        Notification n = sendable;
        List<String> lines = new ArrayList<>(n.alerts().size());
        for (Alert alert : n.alerts()) {
            String message = LogText.escape(TextBudget.cut(
                    text.render(TemplateData.forAlert(n, alert), MAX_MESSAGE_CHARS), MAX_MESSAGE_CHARS));
            // The whole line is escaped: the fingerprint and the rendered labels come from the webhook's sender.
            lines.add(LogText.escape("alert receiver=" + n.receiver() + " route=" + n.route() + " notification="
                    + n.id() + " fingerprint=" + alert.fingerprint()) + " " + TextBudget.cut(message, MAX_MESSAGE_CHARS));
        }
        lines.forEach(sink);
        return Future.succeededFuture(new DeliveryOutcome.Delivered(200));
    }
}
