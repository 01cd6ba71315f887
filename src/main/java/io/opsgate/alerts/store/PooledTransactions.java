package io.opsgate.alerts.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each operation in its own transaction on a connection of the pool, on a worker thread of its own (as many as
 * the pool has connections): PostgreSQL takes concurrent transactions and flushes their commits to its WAL together,
 * so one operation per transaction costs little, and it keeps each transaction's locks few and taken in a fixed
 * order (see {@link JdbcAlertStore}), which batching several webhooks into one transaction would break. A transaction
 * that PostgreSQL aborts as a deadlock victim or for a serialization failure is run again; any other failure, a lost
 * or refused connection among them, fails the operation with {@link StoreUnavailableException}: nothing was committed,
 * the webhook answers 503 and Alertmanager retries.
 */
final class PooledTransactions implements Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(PooledTransactions.class);
    private static final int ATTEMPTS = 5;

    private final Vertx vertx;
    private final DataSource dataSource;
    private final ThreadPoolExecutor executor;
    private final AutoCloseable onClose;
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
            return Future.failedFuture(new StoreUnavailableException("the alert store is closed", null));
        }
        Promise<T> promise = Promise.promise();
        try {
            executor.execute(() -> {
                try {
                    T result = run(work);
                    context.runOnContext(v -> promise.complete(result));
                } catch (SQLException | RuntimeException | Error e) {
                    StoreUnavailableException failure = e instanceof StoreUnavailableException s ? s
                            : new StoreUnavailableException("alert store: " + e.getMessage(), e);
                    context.runOnContext(v -> promise.fail(failure));
                }
            });
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(new StoreUnavailableException("the alert store is saturated ("
                    + executor.getQueue().size() + " operations queued)", e));
        }
        return promise.future();
    }

    private <T> T run(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(new Sql(connection, false));
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

    /** 40001 serialization failure, 40P01 deadlock detected: the transaction did nothing and may simply run again. */
    private static boolean retryable(Exception e) {
        return e instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()));
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
        try {
            onClose.close();
        } catch (Exception e) {
            LOG.warn("closing the alert store's connections: {}", e.toString());
        }
    }
}
