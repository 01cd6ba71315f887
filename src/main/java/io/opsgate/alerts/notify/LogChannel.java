package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
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
 * default receiver. Lines name the receiver, route and fingerprint; the message comes from the {@code text} template.
 */
final class LogChannel extends ConfiguredChannel {
    static final String TYPE = "log";
    private static final Logger LOG = LoggerFactory.getLogger("io.opsgate.alerts.log");

    private final OpsGateConfig.LogConfig config;
    private final MessageTemplate text;
    private final Consumer<String> sink;

    LogChannel(String id, OpsGateConfig.LogConfig config, MessageTemplate text) {
        this(id, config, text, LOG::info);
    }

    /** @param sink receives each line; tests pass a list's add */
    LogChannel(String id, OpsGateConfig.LogConfig config, MessageTemplate text, Consumer<String> sink) {
        super(id, TYPE, config.delivery());
        this.config = config;
        this.text = text;
        this.sink = sink;
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        Notification n = sendable;
        List<String> lines = new ArrayList<>();
        try {
            for (Alert alert : n.alerts()) {
                String message = text.render(TemplateData.forAlert(n, alert));
                // The whole line is escaped: the fingerprint and the rendered labels come from the webhook's sender.
                lines.add(LogText.escape("alert receiver=" + n.receiver() + " route=" + n.route() + " notification="
                        + n.id() + " fingerprint=" + alert.fingerprint() + " " + message));
            }
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(new DeliveryOutcome.Failed("template error: " + e.getMessage()));
        }
        lines.forEach(sink);
        return Future.succeededFuture(new DeliveryOutcome.Delivered(200));
    }
}
