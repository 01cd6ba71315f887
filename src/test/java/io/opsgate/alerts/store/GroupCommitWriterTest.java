package io.opsgate.alerts.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite writer refuses work beyond its queue with a message that says how much was waiting: the queue's
 * capacity, not its size read after the refusal (which the writer may have drained meanwhile, down to "0 operations
 * queued").
 */
class GroupCommitWriterTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aFullQueueIsRefusedWithItsCapacityAndTheQueuedWorkStillCommits(@TempDir Path dir) throws Exception {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("w.db"));
        connection.setAutoCommit(false);
        GroupCommitWriter writer = new GroupCommitWriter(vertx, connection, 3, 2, "test-writer");
        try {
            CountDownLatch inTransaction = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Integer> blocking = writer.submit(sql -> {
                inTransaction.countDown();
                awaitQuietly(release);
                return 0;
            });
            assertThat(inTransaction.await(10, TimeUnit.SECONDS)).as("the writer runs the first operation").isTrue();
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                queued.add(writer.submit(sql -> n));
            }
            Future<Integer> refused = writer.submit(sql -> 4);
            assertThat(refused.failed()).as("a fourth operation beyond the queue of 3").isTrue();
            assertThat(refused.cause()).isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("the alert store is saturated: 3 operations already waiting for the writer");

            release.countDown();
            Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> blocking.succeeded() && queued.stream().allMatch(Future::succeeded));
            assertThat(queued.stream().map(Future::result).toList()).containsExactly(1, 2, 3);
        } finally {
            writer.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
