package io.opsgate.alerts.store;

import io.vertx.core.Future;
import java.sql.SQLException;

/**
 * Runs the store's operations, each in a transaction, off the event loop. {@link GroupCommitWriter} (SQLite: one
 * connection, one thread, many operations per commit) and {@link PooledTransactions} (PostgreSQL: a pool, one
 * transaction per operation, retried on deadlock or serialization failure) are the two ways.
 */
interface Transactions extends AutoCloseable {
    @FunctionalInterface
    interface Work<T> {
        T run(Sql sql) throws SQLException;
    }

    /**
     * Runs the work in a transaction; the future completes on the caller's context after the commit, or fails with
     * {@link StoreUnavailableException} (nothing committed).
     */
    <T> Future<T> submit(Work<T> work);

    @Override
    void close();
}
