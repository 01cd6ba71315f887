package io.opsgate.alerts.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The one message a destination keeps for one alert group (Slack bot mode), as stored with the group so that a
 * restarted gateway, or another replica on the same store, edits the same message.
 * <p>
 * Either a message Slack confirmed ({@code ts} set, with the {@code channel} id Slack answered with), or a post that
 * was started but whose answer was never recorded ({@code ts} null): {@code postId} is the tag the post carried in
 * its metadata and {@code postedAt} when it was started, so the message can be looked for before posting another.
 *
 * @param channel  the channel id Slack answered with; for an unconfirmed post, the configured channel
 * @param ts       Slack's timestamp id of the message; null while the post is unconfirmed
 * @param shown    the status the message shows (FIRING until its group is notified resolved)
 * @param postId   the tag in the message's metadata; never null
 * @param postedAt when the post was started
 * @param alerts   the alerts the message shows: notifications carry only what changed, the message the whole group
 */
public record GroupMessage(String channel, String ts, AlertStatus shown, String postId, Instant postedAt,
                           List<Alert> alerts) {
    public GroupMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(shown, "shown");
        Objects.requireNonNull(postId, "postId");
        Objects.requireNonNull(postedAt, "postedAt");
        alerts = List.copyOf(alerts);
    }

    /** A post about to be sent, not yet answered. */
    public static GroupMessage posting(String channel, AlertStatus status, String postId, Instant at,
                                       List<Alert> alerts) {
        return new GroupMessage(channel, null, status, postId, at, alerts);
    }

    public boolean confirmed() {
        return ts != null;
    }

    /** This post, confirmed by Slack with its channel id and ts. */
    public GroupMessage confirmed(String channelId, String messageTs) {
        return new GroupMessage(channelId, messageTs, shown, postId, postedAt, alerts);
    }

    /** The same message showing other content. */
    public GroupMessage showing(AlertStatus status, List<Alert> shownAlerts) {
        return new GroupMessage(channel, ts, status, postId, postedAt, shownAlerts);
    }
}
