package io.opsgate.alerts.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations in transactions on connections of the pool, on worker threads of its own (as many as the pool has
 * connections). Two ways in:
 * <ul>
 * <li>{@link #submit}: one operation, one transaction (claims, flushes, retries: each takes its own locks in a fixed
 *     order, see {@link JdbcAlertStore}).</li>
 * <li>{@link #batching}: group commit for operations of one kind (webhook ingest, finished deliveries). Items that
 *     arrive while a batch of their kind runs wait for the next, which takes all of them (up to
 *     {@link #MAX_BATCH}) in one transaction: its work does them with a few multi-row statements, so the round trips
 *     and the commit are paid once per batch, not per webhook. At most {@link #BATCH_RUNNERS} batches of a kind run
 *     at once. Nothing is acknowledged before its batch commits.</li>
 * </ul>
 * A transaction that PostgreSQL aborts as a deadlock victim or for a serialization failure is run again. A batch
 * that fails otherwise is run again item by item, each in its own transaction, so that one bad webhook fails alone;
 * except when the database is unreachable, which fails every item at once (a retry per item would only wait out the
 * connection timeout again and again). A failed operation fails with {@link StoreUnavailableException}: nothing was
 * committed, the webhook answers 503 and Alertmanager retries.
 */
final class PooledTransactions implements Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(PooledTransactions.class);
    private static final int ATTEMPTS = 5;
    static final int MAX_BATCH = 256;
    /** Two: one batch commits while the next runs its statements. */
    static final int BATCH_RUNNERS = 2;

    private final Vertx vertx;
    private final DataSource dataSource;
    private final ThreadPoolExecutor executor;
    private final int threads;
    private final int queued;
    private final AutoCloseable onClose;
    private final List<Lane<?, ?>> lanes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    /**
     * @param threads  operations at once: the pool's size
     * @param queued   operations waiting beyond those; more are refused (503) rather than queued without bound
     * @param onClose  closes the pool
     */
    PooledTransactions(Vertx vertx, DataSource dataSource, int threads, int queued, String name, AutoCloseable onClose) {
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.onClose = onClose;
        this.threads = threads;
        this.queued = queued;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
                r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public <T> Future<T> submit(Work<T> work) {
        Context context = vertx.getOrCreateContext();
        if (!running) {
            return Future.failedFuture(closed());
        }
        Promise<T> promise = Promise.promise();
        try {
            executor.execute(() -> {
                try {
                    T result = run(c -> java.util.Collections.singletonList(work.run(c))).get(0);
                    context.runOnContext(v -> promise.complete(result));
                } catch (SQLException | RuntimeException | Error e) {
                    StoreUnavailableException failure = unavailable(e);
                    context.runOnContext(v -> promise.fail(failure));
                }
            });
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(refused(e));
        }
        return promise.future();
    }

    /**
     * Why the executor refused a task. It refuses for two reasons: it is shut down (the store is closing: a submit
     * that checked {@link #running} just before {@link #close} set it), or its queue is full. The queue's size read
     * afterwards says nothing (it may have drained meanwhile), so the message names the capacity instead.
     */
    private StoreUnavailableException refused(RejectedExecutionException e) {
        if (!running || executor.isShutdown()) {
            return closed();
        }
        return new StoreUnavailableException("the alert store is saturated: all " + threads
                + " database connections busy and " + queued + " operations already waiting", e);
    }

    private static StoreUnavailableException closed() {
        return new StoreUnavailableException("the alert store is closed", null);
    }

    private static StoreUnavailableException unavailable(Throwable e) {
        return e instanceof StoreUnavailableException s ? s
                : new StoreUnavailableException("alert store: " + e.getMessage(), e);
    }

    @Override
    public <I, R> Batched<I, R> batching(String kind, BatchWork<I, R> work) {
        Lane<I, R> lane = new Lane<>(kind, work);
        lanes.add(lane);
        return lane;
    }

    private record Item<I, R>(I item, Promise<R> promise, Context context) {
        void complete(R result) {
            context.runOnContext(v -> promise.complete(result));
        }

        void fail(StoreUnavailableException e) {
            context.runOnContext(v -> promise.fail(e));
        }
    }

    /** The items of one kind waiting for a batch, and the batches of that kind running. */
    private final class Lane<I, R> implements Batched<I, R> {
        private final java.util.concurrent.atomic.AtomicLong items = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong split = new java.util.concurrent.atomic.AtomicLong();
        private final String kind;
        private final BatchWork<I, R> work;
        private final Queue<Item<I, R>> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();
        private final AtomicInteger runners = new AtomicInteger();

        Lane(String kind, BatchWork<I, R> work) {
            this.kind = kind;
            this.work = work;
        }

        @Override
        public long[] committed() {
            return new long[] {items.get(), transactions.get(), split.get()};
        }

        @Override
        public Future<R> submit(I item) {
            Context context = vertx.getOrCreateContext();
            if (!running) {
                return Future.failedFuture(closed());
            }
            if (size.incrementAndGet() > queued) {
                size.decrementAndGet();
                return Future.failedFuture(new StoreUnavailableException("the alert store is saturated: " + queued
                        + " " + kind + " operations already waiting for a transaction", null));
            }
            Promise<R> promise = Promise.promise();
            waiting.add(new Item<>(item, promise, context));
            startRunner();
            return promise.future();
        }

        private void startRunner() {
            while (!waiting.isEmpty()) {
                int r = runners.get();
                if (r >= BATCH_RUNNERS) {
                    return; // a running batch looks at the queue again before it ends
                }
                if (runners.compareAndSet(r, r + 1)) {
                    try {
                        executor.execute(this::drain);
                    } catch (RejectedExecutionException e) {
                        runners.decrementAndGet();
                        StoreUnavailableException failure = refused(e);
                        Item<I, R> item;
                        while ((item = poll()) != null) {
                            item.fail(failure);
                        }
                    }
                    return;
                }
            }
        }

        private Item<I, R> poll() {
            Item<I, R> item = waiting.poll();
            if (item != null) {
                size.decrementAndGet();
            }
            return item;
        }

        private void drain() {
            try {
                List<Item<I, R>> batch = new ArrayList<>();
                while (true) {
                    Item<I, R> item;
                    while (batch.size() < MAX_BATCH && (item = poll()) != null) {
                        batch.add(item);
                    }
                    if (batch.isEmpty()) {
                        return;
                    }
                    runBatch(batch);
                    batch.clear();
                }
            } finally {
                runners.decrementAndGet();
                startRunner(); // an item that came after the last poll, while this runner still counted
            }
        }

        private void runBatch(List<Item<I, R>> batch) {
            List<R> results;
            try {
                List<I> items = batch.stream().map(Item::item).toList();
                results = run(c -> work.run(c, items));
            } catch (SQLException | RuntimeException | Error e) {
                // Errors too: this thread must survive anything one item does, or its callers would hang.
                if (batch.size() == 1 || unreachable(e)) {
                    StoreUnavailableException failure = unavailable(e);
                    batch.forEach(i -> i.fail(failure));
                    return;
                }
                LOG.debug("a batch of {} {} operations failed ({}); running them one by one", batch.size(), kind,
                        e.toString());
                split.incrementAndGet();
                for (Item<I, R> item : batch) {
                    runBatch(java.util.Collections.singletonList(item));
                }
                return;
            }
            items.addAndGet(batch.size());
            transactions.incrementAndGet();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(results.get(i));
            }
        }
    }

    /** Runs the work in one transaction, again on deadlock or serialization failure; commits before it returns. */
    private <T> List<T> run(BatchWork<Void, T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    List<T> result = work.run(new Sql(connection, false), null);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(connection);
                    if (attempt < ATTEMPTS && retryable(e)) {
                        LOG.debug("alert store transaction aborted ({}); running it again", e.getMessage());
                        continue;
                    }
                    throw e;
                }
            } catch (SQLTransientConnectionException e) {
                // The pool had no connection within its timeout: the server is down or out of connections.
                throw new StoreUnavailableException("alert store: no database connection (" + e.getMessage() + ")", e);
            }
        }
    }

    private interface Once<T> {
        List<T> run(Sql sql) throws SQLException;
    }

    private <T> List<T> run(Once<T> work) throws SQLException {
        return run((BatchWork<Void, T>) (c, none) -> work.run(c));
    }

    /** 40001 serialization failure, 40P01 deadlock detected: the transaction did nothing and may simply run again. */
    private static boolean retryable(Exception e) {
        return e instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()));
    }

    /**
     * The database is not there, whatever the items: no connection from the pool, a connection lost (SQLSTATE class
     * 08), the server shutting down or starting (57P01–57P03), or out of resources (class 53).
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("alert store rollback failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane<?, ?> lane : lanes) {
            failWaiting(lane);
        }
        try {
            onClose.close();
        } catch (Exception e) {
            LOG.warn("closing the alert store's connections: {}", e.toString());
        }
    }

    private static <I, R> void failWaiting(Lane<I, R> lane) {
        Item<I, R> item;
        while ((item = lane.poll()) != null) {
            item.fail(closed());
        }
    }
}
