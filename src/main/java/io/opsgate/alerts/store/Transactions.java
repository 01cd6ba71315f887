package io.opsgate.alerts.store;

import io.vertx.core.Future;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs the store's operations, each in a transaction, off the event loop. {@link GroupCommitWriter} (SQLite: one
 * connection, one thread, many operations per commit) and {@link PooledTransactions} (PostgreSQL: a pool, one
 * transaction per operation, or per batch of operations of one kind, retried on deadlock or serialization failure)
 * are the two ways.
 */
interface Transactions extends AutoCloseable {
    @FunctionalInterface
    interface Work<T> {
        T run(Sql sql) throws SQLException;
    }

    /**
     * Operations of one kind that can share a transaction: {@code run} does all of {@code items} together (one
     * statement for many rows where it can) and answers one result per item, in their order.
     */
    @FunctionalInterface
    interface BatchWork<I, R> {
        List<R> run(Sql sql, List<I> items) throws SQLException;
    }

    /**
     * Runs the work in a transaction; the future completes on the caller's context after the commit, or fails with
     * {@link StoreUnavailableException} (nothing committed).
     */
    <T> Future<T> submit(Work<T> work);

    /** Where items of one kind go in; see {@link #batching}. */
    interface Batched<I, R> {
        Future<R> submit(I item);

        /**
         * Items committed so far, in how many transactions (fewer: they were batched), and how many batches failed
         * and were run again item by item.
         */
        default long[] committed() {
            return new long[] {0, 0, 0};
        }
    }

    /**
     * A way in for items of one kind that are committed together when they arrive together (group commit); each
     * future completes after the commit of its item's transaction. Here one item per operation: a writer that
     * already commits many operations at once (SQLite's) needs no more.
     */
    default <I, R> Batched<I, R> batching(String kind, BatchWork<I, R> work) {
        return item -> submit(c -> work.run(c, java.util.Collections.singletonList(item)).get(0));
    }

    @Override
    void close();
}
