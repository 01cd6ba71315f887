package io.opsgate.alerts.store;

import io.opsgate.alerts.model.GroupMessage;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Durable alert state and the notification outbox. Every method is asynchronous and completes on the caller's
 * Vert.x context; a returned success means the change is committed. A failure is a
 * {@link StoreUnavailableException}: the caller answers 503 (webhooks) or keeps the delivery in memory (dispatcher).
 * <p>
 * The SQLite engine is the default; the HA issue adds PostgreSQL behind this same interface, which is why the
 * interface speaks in whole operations (ingest, flush) rather than rows: each is one transaction in any engine.
 */
public interface AlertStore extends AutoCloseable {

    /** Records the alerts of one webhook, collapsing duplicates; committed when the future succeeds. */
    Future<IngestResult> ingest(List<IncomingAlert> alerts, Instant acceptedAt);

    /**
     * Turns every group whose group_wait has passed, and every reminder due (repeat_interval), into outbox rows:
     * one per channel of each receiver of the group's route.
     *
     * @param receivers the channels of each receiver name; a receiver missing here is logged and skipped
     */
    Future<FlushResult> flushDue(Instant now, Map<String, List<Destination>> receivers);

    /**
     * At start: settles the rows that were in flight when the previous run stopped (each is sent again, with its
     * key, unless a newer state of its group waits, which then takes its alerts), then returns every pending row,
     * oldest first.
     */
    Future<Recovery> recover();

    /**
     * Records that attempt number {@code attempts} of the row starts now, before the request is sent; false when
     * the row is no longer pending (a newer state superseded it), and must not be sent.
     */
    Future<Boolean> markSending(long id, int attempts, Instant at);

    Future<Void> markSent(long id, int attempts, Instant at);

    /**
     * Records a failed attempt to be retried at {@code nextAttemptAt}. When a newer row of the same (destination,
     * group) waits, the row is superseded instead and the newer row takes its alerts: the answer is the newer row
     * as it now is, and the failed one must not be retried.
     */
    Future<Optional<PendingDelivery>> markRetry(long id, int attempts, Instant nextAttemptAt, String error);

    Future<Void> markFailed(long id, int attempts, String reason, Instant at);

    /**
     * The message destination {@code destination} keeps for group {@code groupId} (Slack bot mode), if one was
     * recorded: shared by every process on this store, so a restart or another replica edits the same message.
     */
    Future<Optional<GroupMessage>> groupMessage(String destination, String groupId);

    /** Records (replaces) the message of the lane; it is deleted with its group by {@link #prune}. */
    Future<Void> saveGroupMessage(String destination, String groupId, GroupMessage message);

    /** Deletes delivered or failed rows and resolved alerts last changed before {@code before}. */
    Future<Integer> prune(Instant before);

    @Override
    void close();

    /**
     * One page of alert state in key order (route, fingerprint), starting after {@code after}. Each row is handed to
     * {@code row} as it is read, on the store's own thread; {@code row} answers whether it wants more. At most
     * {@code limit} rows are read, so neither the store nor the caller ever holds more than a page.
     *
     * @return the key to continue after, or empty when no rows are left
     */
    Future<Optional<AlertKey>> scanAlerts(Optional<AlertKey> after, int limit, Predicate<AlertRecord> row);

    /**
     * One page of outbox rows, newest first, optionally of one state, starting below id {@code before}; as
     * {@link #scanAlerts}.
     *
     * @return the id to continue below, or empty when no older rows are left
     */
    Future<Optional<Long>> scanNotifications(Optional<DeliveryState> state, Optional<Long> before, int limit,
                                             Predicate<OutboxRecord> row);
}
