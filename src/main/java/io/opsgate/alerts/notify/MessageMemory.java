package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.GroupMessage;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What the store remembers of the message one destination keeps for one alert group (its lane), handed to a channel
 * with each delivery. Only channels that edit their messages (Slack bot mode) use it.
 */
public interface MessageMemory {
    /** A memory that holds nothing and forgets what it is told: for channels and tests without a store. */
    MessageMemory NONE = new MessageMemory() {
        @Override
        public Future<Optional<GroupMessage>> load() {
            return Future.succeededFuture(Optional.empty());
        }

        @Override
        public Future<Void> save(GroupMessage message) {
            return Future.succeededFuture();
        }
    };

    Future<Optional<GroupMessage>> load();

    /** Replaces what is remembered; committed when the future succeeds. */
    Future<Void> save(GroupMessage message);
}
