package io.opsgate.alerts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcAlertStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Alert alert(String fp, AlertStatus status, Instant startsAt) {
        return new Alert(fp, status, Map.of("alertname", "A", "fp", fp), Map.of(), startsAt, null, "");
    }

    @Test
    void commonKeepsOnlySharedPairs() {
        assertThat(JdbcAlertStore.common(List.of(Map.of("a", "1", "b", "2"), Map.of("a", "1", "b", "3"))))
                .containsExactly(Map.entry("a", "1"));
        assertThat(JdbcAlertStore.common(List.of())).isEmpty();
    }

    @Test
    void concurrentIngestsAllCommitAndDuplicatesAcrossThemCollapse() throws Exception {
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            List<Future<IngestResult>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String fp = "fp" + (i % 200); // every alert twice, like two Alertmanager peers
                IncomingAlert in = new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ofHours(1),
                        Duration.ofHours(4), Duration.ofHours(1), "gk", "", alert(fp, AlertStatus.FIRING, T0));
                results.add(store.ingest(List.of(in), T0));
            }
            Future.all(results).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            int changed = results.stream().mapToInt(f -> f.result().changed()).sum();
            int duplicates = results.stream().mapToInt(f -> f.result().deduplicated()).sum();
            assertThat(changed).isEqualTo(200);
            assertThat(duplicates).isEqualTo(200);
            FlushResult flushed = store.flushDue(T0.plus(Duration.ofHours(1)),
                    Map.of("r", List.of(new Destination("r/x[0]", "x", true))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(flushed.created()).hasSize(1);
            assertThat(flushed.created().get(0).notification().alerts()).hasSize(200);
            assertThat(flushed.nextDue()).contains(T0.plus(Duration.ofHours(5)));
        }
    }

    @Test
    void resolvedOnlyNotificationsSkipDestinationsThatDoNotSendResolved() throws Exception {
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            IncomingAlert in = new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO,
                    Duration.ofHours(4), Duration.ZERO, "gk", "", alert("z", AlertStatus.RESOLVED, T0));
            store.ingest(List.of(in), T0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            FlushResult flushed = store.flushDue(T0, Map.of("r", List.of(new Destination("r/slack[0]", "slack", false),
                            new Destination("r/webhook[0]", "webhook", true))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(flushed.created()).extracting(d -> d.notification().destination()).containsExactly("r/webhook[0]");
        }
    }

    @Test
    void changesToANotifiedGroupWaitForGroupInterval() throws Exception {
        Map<String, List<Destination>> receivers = Map.of("r", List.of(new Destination("r/x[0]", "x", true)));
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            store.ingest(List.of(incoming("a")), T0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            FlushResult first = store.flushDue(T0, receivers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(first.created()).hasSize(1);

            Instant later = T0.plusSeconds(10);
            store.ingest(List.of(incoming("b")), later).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            FlushResult early = store.flushDue(later, receivers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(early.created()).isEmpty();
            assertThat(early.nextDue()).contains(T0.plus(Duration.ofMinutes(5)));

            FlushResult due = store.flushDue(T0.plus(Duration.ofMinutes(5)), receivers)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(due.created()).hasSize(1);
            assertThat(due.created().get(0).notification().alerts()).extracting(Alert::fingerprint).containsExactly("b");
        }
    }

    private static IncomingAlert incoming(String fp) {
        return new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO, Duration.ofHours(4),
                Duration.ofMinutes(5), "gk", "", alert(fp, AlertStatus.FIRING, T0));
    }

    @Test
    void aSecondGatewayCannotOpenTheSameFile() throws Exception {
        try (JdbcAlertStore first = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            assertThatThrownBy(() -> JdbcAlertStore.sqlite(vertx, dir.resolve("a.db")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("locked");
        }
    }
}
