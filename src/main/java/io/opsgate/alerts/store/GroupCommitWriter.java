package io.opsgate.alerts.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns the database connection. Work submitted while a transaction commits queues up and is
 * committed together in the next one (group commit): one fsync then covers many concurrent webhooks, which is what
 * lets a synchronous=FULL SQLite take thousands of requests per second. If a batch fails, its items are retried one
 * per transaction so that one bad item cannot fail its neighbours.
 */
final class GroupCommitWriter implements Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private record Task<T>(Work<T> work, Promise<T> promise, Context context) {
        void run(Sql c, List<Runnable> completions) throws SQLException {
            T result = work.run(c);
            completions.add(() -> context.runOnContext(v -> promise.complete(result)));
        }

        void fail(Throwable cause) {
            context.runOnContext(v -> promise.fail(cause));
        }
    }

    private final Vertx vertx;
    private final Sql connection;
    private final BlockingQueue<Task<?>> queue;
    private final int maxBatch;
    private final int queueCapacity;
    private final Thread thread;
    private volatile boolean running = true;

    GroupCommitWriter(Vertx vertx, Connection connection, int queueCapacity, int maxBatch, String name) {
        this.vertx = vertx;
        this.connection = new Sql(connection);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.queueCapacity = queueCapacity;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs the work in the next transaction; the future completes on the caller's context after the commit. */
    @Override
    public <T> Future<T> submit(Work<T> work) {
        Context context = vertx.getOrCreateContext();
        Promise<T> promise = Promise.promise();
        if (!running) {
            return Future.failedFuture(new StoreUnavailableException("the alert store is closed", null));
        }
        if (!queue.offer(new Task<>(work, promise, context))) {
            // Not queue.size(): read after the refused offer it counts what is left once the writer has drained a
            // batch meanwhile, and while the database fails every operation at once (a batch fails, then each of its
            // items fails fast) the writer empties the queue between the two reads, which printed "0 operations
            // queued" for a full queue. The capacity is what was full.
            return Future.failedFuture(new StoreUnavailableException("the alert store is saturated: "
                    + queueCapacity + " operations already waiting for the writer", null));
        }
        return promise.future();
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Task<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Task<?> left;
        while ((left = queue.poll()) != null) {
            left.fail(new StoreUnavailableException("the alert store is closed", null));
        }
    }

    private void runBatch(List<Task<?>> batch) {
        List<Runnable> completions = new ArrayList<>(batch.size());
        try {
            for (Task<?> task : batch) {
                task.run(connection, completions);
            }
            connection.commit();
            completions.forEach(Runnable::run);
            return;
        } catch (SQLException | RuntimeException | Error e) {
            // Errors too: this thread must survive anything one operation does, or every later caller would hang.
            rollback();
            if (batch.size() == 1) {
                LOG.warn("alert store operation failed: {}", e.toString());
                batch.get(0).fail(new StoreUnavailableException("alert store: " + e.getMessage(), e));
                return;
            }
        }
        for (Task<?> task : batch) {
            runBatch(List.of(task));
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("alert store rollback failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the alert store: {}", e.toString());
        }
    }
}
