package io.opsgate.alerts.store;

import static io.opsgate.alerts.model.AlertStatus.FIRING;
import static io.opsgate.alerts.model.AlertStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.store.Incident.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The incident rules one by one, on the cases the issue reported; {@link IncidentProperties} covers histories. */
class IncidentTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant FAR = Instant.parse("9999-12-31T23:59:59Z");

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private Incident state;

    private Outcome copy(AlertStatus status, long startsAt, Long endsAt, long receivedAt) {
        return copy(status, t(startsAt), endsAt == null ? null : t(endsAt), t(receivedAt));
    }

    private Outcome copy(AlertStatus status, Instant startsAt, Instant endsAt, Instant receivedAt) {
        Incident.Step step = Incident.apply(state, status, startsAt, endsAt, receivedAt);
        state = step.next();
        return step.outcome();
    }

    @Test
    void peersWithDifferentStartsAtShareOneIncidentAndEitherPeersResolveClosesIt() {
        assertThat(copy(FIRING, 20, null, 30)).isEqualTo(Outcome.OPENED);
        assertThat(copy(FIRING, 10, null, 31)).as("the other peer's earlier activeAt").isEqualTo(Outcome.JOINED);
        assertThat(state.startsAt()).isEqualTo(t(10));
        assertThat(copy(FIRING, 20, null, 40)).isEqualTo(Outcome.JOINED);
        assertThat(copy(RESOLVED, 20, 100L, 110)).as("resolve carrying the later start").isEqualTo(Outcome.CLOSED);
        assertThat(state).isEqualTo(new Incident(RESOLVED, t(10), t(100), t(100)));
        assertThat(copy(RESOLVED, 10, 95L, 112)).as("the other peer's resolve").isEqualTo(Outcome.STALE);
        assertThat(copy(FIRING, 10, null, 115)).as("a lagging peer still firing").isEqualTo(Outcome.STALE);
        assertThat(copy(FIRING, 100, null, 116)).as("not after the end").isEqualTo(Outcome.STALE);
        assertThat(copy(FIRING, 200, null, 210)).as("a re-fire").isEqualTo(Outcome.OPENED);
        assertThat(state.horizon()).isEqualTo(t(100));
        assertThat(copy(RESOLVED, 10, 100L, 215)).as("the old resolve re-sent").isEqualTo(Outcome.STALE);
        assertThat(copy(RESOLVED, 190, 300L, 301)).isEqualTo(Outcome.CLOSED);
        assertThat(state.startsAt()).isEqualTo(t(190));
    }

    @Test
    void aResolveBeforeAnyFiringIsRecordedAndItsLateFiringCopiesAreStale() {
        assertThat(copy(RESOLVED, 10, 50L, 60)).isEqualTo(Outcome.CLOSED);
        assertThat(copy(FIRING, 12, null, 61)).isEqualTo(Outcome.STALE);
    }

    @Test
    void firingEndsAtIsATimeoutNotAnEnd() {
        copy(FIRING, 10, 250L, 20);
        copy(FIRING, 10, 310L, 80);
        assertThat(state.status()).isEqualTo(FIRING);
        assertThat(state.endsAt()).isEqualTo(t(310));
        assertThat(state.horizon()).isNull();
    }

    @Test
    void aStartsAtInYear9999SuppressesNoLaterState() {
        assertThat(copy(FIRING, FAR, null, t(10))).isEqualTo(Outcome.OPENED);
        assertThat(state.startsAt()).as("clamped to when it arrived").isEqualTo(t(10));
        assertThat(copy(FIRING, t(5), null, t(11))).isEqualTo(Outcome.JOINED);
        assertThat(copy(RESOLVED, t(5), t(40), t(41))).isEqualTo(Outcome.CLOSED);
        assertThat(copy(FIRING, t(60), null, t(61))).isEqualTo(Outcome.OPENED);
        assertThat(copy(RESOLVED, FAR, FAR, t(70))).as("any resolve closes").isEqualTo(Outcome.CLOSED);
        assertThat(state.horizon()).as("an end is never later than its arrival").isEqualTo(t(70));
        assertThat(copy(FIRING, t(80), null, t(81))).isEqualTo(Outcome.OPENED);
        assertThat(copy(RESOLVED, t(80), t(90), t(91))).isEqualTo(Outcome.CLOSED);
    }

    @Test
    void anEndBeforeTheStartIsTheStart() {
        copy(FIRING, 50, null, 55);
        copy(RESOLVED, 50, 40L, 60);
        assertThat(state.endsAt()).isEqualTo(t(50));
    }
}
