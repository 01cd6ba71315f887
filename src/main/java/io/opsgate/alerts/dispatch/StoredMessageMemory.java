package io.opsgate.alerts.dispatch;

import io.opsgate.alerts.model.GroupMessage;
import io.opsgate.alerts.notify.MessageMemory;
import io.opsgate.alerts.store.AlertStore;
import io.opsgate.alerts.store.PendingDelivery;
import io.vertx.core.Future;
import java.util.Optional;

/** A lane's {@link MessageMemory} kept in the alert store, with the row's group. */
final class StoredMessageMemory implements MessageMemory {
    private final AlertStore store;
    private final String destination;
    private final String groupId;

    StoredMessageMemory(AlertStore store, PendingDelivery delivery) {
        this.store = store;
        this.destination = delivery.notification().destination();
        this.groupId = delivery.groupId();
    }

    @Override
    public Future<Optional<GroupMessage>> load() {
        return store.groupMessage(destination, groupId);
    }

    @Override
    public Future<Void> save(GroupMessage message) {
        return store.saveGroupMessage(destination, groupId, message);
    }
}
