package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.GroupMessage;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.logging.LogText;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack through the Web API with a bot token: one message per alert group that follows it. The group's first
 * notification posts the message ({@code chat.postMessage}); each later one edits it in place ({@code chat.update},
 * the same blocks as {@link SlackChannel}) and adds a line to its thread, so the message shows the group's current
 * state (green once resolved) and the thread its history. Notifications carry what changed; the message shows the
 * whole group, the alerts it showed overlaid with the changes ({@link #groupView}). A group that fires again after it was notified resolved
 * gets a new message. The message's channel id and {@code ts} are kept in the lane's {@link MessageMemory} (stored
 * with the group), so a restart or another replica on the same store edits the same message.
 * <p>
 * A post is not idempotent in Slack, so before posting, its intent is recorded with a random post id that the
 * message carries in its metadata. When a later delivery finds such a post unconfirmed (the answer was lost to a
 * timeout, or the process died before recording it), it first looks for the message in the channel's recent
 * history ({@code conversations.history}, which needs the {@code channels:history} scope and a channel id) and edits
 * it if found. What remains: without that scope, or with a {@code #name} channel, a lost answer still leads to a
 * second message; a thread line whose answer was lost is added again on the retry.
 */
final class SlackBotChannel extends ConfiguredChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SlackBotChannel.class);
    /** The metadata event type of our top-level messages. */
    static final String METADATA_EVENT = "opsgate_alert_group";
    /** Update errors after which the message can only be replaced by a new one. */
    private static final Set<String> GONE = Set.of("message_not_found", "cant_update_message", "edit_window_closed");
    /** History is searched from this long before the post was started (clocks differ). */
    private static final Duration LOOKBACK_MARGIN = Duration.ofMinutes(2);
    private static final int HISTORY_PAGE = 200;
    private static final int HISTORY_PAGES = 5;
    private static final int MAX_THREAD_LINE = SlackChannel.MAX_HEADING_CHARS + 20;

    private final OpsGateConfig.SlackConfig config;
    private final MessageTemplate title;
    private final MessageTemplate text;
    private final SlackWebApi api;
    private final Clock clock;

    /** @param title and {@code text} compiled with {@code TemplateEngine.slack()}, which escapes for mrkdwn */
    SlackBotChannel(String id, OpsGateConfig.SlackConfig config, MessageTemplate title, MessageTemplate text,
                    WebClient client, Clock clock, SecretRedactor redactor) {
        super(id, SlackChannel.TYPE, config.delivery(), redactor);
        this.config = config;
        this.title = title;
        this.text = text;
        this.clock = clock;
        this.api = new SlackWebApi(client, clock, config.webApiUrl(), config.botToken(), config.delivery().timeout(),
                redactor);
    }

    /** Without a lane's memory (a preview): a new message each time. */
    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        return send(sendable, MessageMemory.NONE);
    }

    @Override
    Future<DeliveryOutcome> send(Notification changes, MessageMemory memory) {
        return memory.load().compose(known -> {
            if (known.isEmpty() || known.get().confirmed() && startsOver(known.get(), changes)) {
                return post(groupView(changes, List.of()), memory);
            }
            Notification n = groupView(changes, known.get().alerts());
            if (known.get().confirmed()) {
                return update(n, known.get(), memory);
            }
            return find(known.get()).compose(found -> {
                if (found.retry() != null) {
                    return Future.succeededFuture(found.retry());
                }
                return found.message() != null ? update(n, found.message(), memory) : post(n, memory);
            });
        }, failure -> storeDown("read", failure));
    }

    /** A group notified resolved that fires again is a new incident: a new message, the old one stays resolved. */
    private static boolean startsOver(GroupMessage known, Notification changes) {
        return known.shown() == AlertStatus.RESOLVED && changes.status() == AlertStatus.FIRING;
    }

    /**
     * The whole group as the message shows it: a notification holds only the alerts that changed, so they are laid
     * over those the message showed (newer wins, by fingerprint). An alert shown resolved before and not in this
     * notification is left out: it was shown resolved once.
     */
    static Notification groupView(Notification changes, List<Alert> shown) {
        Map<String, Alert> byFingerprint = new TreeMap<>();
        shown.stream().filter(a -> a.status() == AlertStatus.FIRING).forEach(a -> byFingerprint.put(a.fingerprint(), a));
        changes.alerts().forEach(a -> byFingerprint.put(a.fingerprint(), a));
        List<Alert> alerts = List.copyOf(byFingerprint.values());
        if (alerts.equals(changes.alerts())) {
            return changes;
        }
        AlertStatus status = alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING)
                ? AlertStatus.FIRING : AlertStatus.RESOLVED;
        Notification c = changes;
        return new Notification(c.id(), c.route(), c.receiver(), c.destination(), c.groupKey(), status, alerts,
                c.groupLabels(), TemplateData.common(alerts.stream().map(Alert::labels).toList()),
                TemplateData.common(alerts.stream().map(Alert::annotations).toList()), c.externalUrl(), c.createdAt(),
                c.attempt(), c.idempotencyKey(), c.notificationReason());
    }

    private Future<DeliveryOutcome> post(Notification n, MessageMemory memory) {
        JsonObject message = SlackChannel.message(n, title, text);
        GroupMessage intent = GroupMessage.posting(config.channel(), n.status(), UUID.randomUUID().toString(),
                clock.instant(), n.alerts());
        JsonObject body = message.copy()
                .put("channel", config.channel())
                .put("metadata", new JsonObject().put("event_type", METADATA_EVENT)
                        .put("event_payload", new JsonObject().put("post", intent.postId())));
        return memory.save(intent).compose(saved -> api.call("chat.postMessage", body).compose(answer -> {
            if (!answer.ok()) {
                return Future.succeededFuture(answer.failure());
            }
            String channel = answer.body().getString("channel");
            String ts = answer.body().getString("ts");
            if (channel == null || ts == null) {
                return delivered();
            }
            // A failed save leaves the intent: the next delivery looks the message up rather than posting again.
            return memory.save(intent.confirmed(channel, ts))
                    .transform(ar -> delivered());
        }), failure -> storeDown("record", failure));
    }

    private Future<DeliveryOutcome> update(Notification n, GroupMessage known, MessageMemory memory) {
        JsonObject body = SlackChannel.message(n, title, text).put("channel", known.channel()).put("ts", known.ts());
        return api.call("chat.update", body).compose(answer -> {
            if (!answer.ok()) {
                if (GONE.contains(answer.error())) {
                    LOG.info("{}: the message of group {} is gone ({}); posting a new one", id(),
                            LogText.escape(n.groupKey()), answer.error());
                    return post(n, memory);
                }
                return Future.succeededFuture(answer.failure());
            }
            JsonObject line = new JsonObject().put("channel", known.channel()).put("thread_ts", known.ts())
                    .put("text", threadLine(n));
            return api.call("chat.postMessage", line).compose(reply -> {
                if (!reply.ok()) {
                    // The edit stands; a retry edits again (harmless) and adds the line.
                    return Future.succeededFuture(reply.failure());
                }
                return memory.save(known.showing(n.status(), n.alerts()))
                        .transform(ar -> delivered());
            });
        });
    }

    /** One line of the thread: what the group is now. */
    String threadLine(Notification n) {
        String mark = n.status() == AlertStatus.FIRING ? ":fire: " : ":white_check_mark: ";
        return TextBudget.cut(mark + SlackChannel.heading(n, title), MAX_THREAD_LINE);
    }

    private record Lookup(GroupMessage message, DeliveryOutcome retry) {
    }

    /** Looks for the message of an unconfirmed post in the channel's history since shortly before it was started. */
    private Future<Lookup> find(GroupMessage intent) {
        String oldest = String.valueOf(Math.max(0, intent.postedAt().minus(LOOKBACK_MARGIN).getEpochSecond()));
        return page(intent, oldest, null, 0);
    }

    private Future<Lookup> page(GroupMessage intent, String oldest, String cursor, int pages) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("channel", intent.channel()).add("oldest", oldest)
                .add("include_all_metadata", "true").add("limit", String.valueOf(HISTORY_PAGE));
        if (cursor != null) {
            form.add("cursor", cursor);
        }
        return api.callForm("conversations.history", form).compose(answer -> {
            if (!answer.ok()) {
                if (answer.failure() instanceof DeliveryOutcome.RetryLater) {
                    return Future.succeededFuture(new Lookup(null, answer.failure()));
                }
                LOG.warn("{}: cannot look for a message whose post was not confirmed ({}); posting it again, which "
                        + "may show it twice (the bot needs channels:history, and channel an id)", id(),
                        ((DeliveryOutcome.Failed) answer.failure()).reason());
                return Future.succeededFuture(new Lookup(null, null));
            }
            JsonArray messages = answer.body().getJsonArray("messages", new JsonArray());
            for (int i = 0; i < messages.size(); i++) {
                JsonObject m = messages.getJsonObject(i);
                JsonObject metadata = m.getJsonObject("metadata");
                if (metadata != null && METADATA_EVENT.equals(metadata.getString("event_type"))
                        && intent.postId().equals(Optional.ofNullable(metadata.getJsonObject("event_payload"))
                        .map(p -> p.getString("post")).orElse(null))
                        && m.getString("ts") != null) {
                    return Future.succeededFuture(new Lookup(intent.confirmed(intent.channel(), m.getString("ts")),
                            null));
                }
            }
            String next = Optional.ofNullable(answer.body().getJsonObject("response_metadata"))
                    .map(r -> r.getString("next_cursor")).orElse("");
            if (!next.isEmpty() && pages + 1 < HISTORY_PAGES) {
                return page(intent, oldest, next, pages + 1);
            }
            return Future.succeededFuture(new Lookup(null, null));
        });
    }

    private static Future<DeliveryOutcome> delivered() {
        return Future.succeededFuture(new DeliveryOutcome.Delivered(200));
    }

    private Future<DeliveryOutcome> storeDown(String what, Throwable failure) {
        return Future.succeededFuture(new DeliveryOutcome.RetryLater("alert store unavailable: could not " + what
                + " the group's Slack message: " + failure.getMessage(), Optional.empty()));
    }
}
