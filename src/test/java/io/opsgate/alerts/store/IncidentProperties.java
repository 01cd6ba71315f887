package io.opsgate.alerts.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.store.Incident.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The incident model over generated histories of one alert: real incidents (the truth), each reported by N
 * Alertmanager peers with their own skewed {@code startsAt} and {@code endsAt}, each copy repeated (retries, group
 * re-sends), delayed and so reordered. Bounds, as in a real HA setup: skew between peers up to {@value #SKEW}s, a
 * copy delayed up to {@value #DELAY}s, incidents last longer than the skew and are further apart than skew plus
 * delay. Checked on every history: P1 (no firing of an incident after its resolve, final state is the truth), P2
 * (every incident's resolve gets through), P3 (at most one open and one close per incident, whatever the copies).
 */
class IncidentProperties {
    static final int SKEW = 30;
    static final int DELAY = 90;
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** One copy as a peer delivers it, tagged with the real incident it belongs to (the model never sees the tag). */
    record Copy(int incident, AlertStatus status, long startsAt, Long endsAt, long receivedAt, int order) {
    }

    record Truth(List<long[]> incidents, boolean lastOpen) {
        /** Incident k is [start, end]; the last one has no end when {@code lastOpen}. */
        boolean closed(int k) {
            return !(lastOpen && k == incidents.size() - 1);
        }
    }

    record History(Truth truth, List<Copy> copies) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("incidents:");
            for (long[] i : truth.incidents()) {
                b.append(" [").append(i[0]).append(',').append(i[1]).append(']');
            }
            b.append(truth.lastOpen() ? " (last open)" : "").append("\ncopies (as received):");
            copies.forEach(c -> b.append("\n  #").append(c.incident()).append(' ').append(c.status().wire())
                    .append(" startsAt=").append(c.startsAt()).append(" endsAt=").append(c.endsAt())
                    .append(" at ").append(c.receivedAt()));
            return b.toString();
        }
    }

    /** How one peer reports one incident: its skew, how often it sends each state, and each copy's delay. */
    record PeerView(int startSkew, int endSkew, int firingCopies, int resolvedCopies, List<Integer> delays,
                    int tie) {
    }

    @Provide
    Arbitrary<History> histories() {
        Arbitrary<long[]> span = Combinators.combine(
                        Arbitraries.integers().between(SKEW + 1, 600), // duration
                        Arbitraries.integers().between(SKEW + DELAY + 1, 900)) // gap before it
                .as((duration, gap) -> new long[] {gap, duration});
        Arbitrary<PeerView> view = Combinators.combine(Arbitraries.integers().between(0, SKEW),
                        Arbitraries.integers().between(0, SKEW), Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(0, DELAY).list().ofSize(6), Arbitraries.integers().between(0, 99))
                .as(PeerView::new);
        return Combinators.combine(Arbitraries.integers().between(1, 3), span.list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.of(true, false))
                .flatAs((peers, raw, lastOpen) -> view.list().ofSize(peers * raw.size())
                        .map(views -> history(peers, raw, lastOpen, views)))
                .withoutEdgeCases();
    }

    private static History history(int peers, List<long[]> raw, boolean lastOpen, List<PeerView> views) {
        List<long[]> incidents = new ArrayList<>();
        long t = 1000;
        for (long[] r : raw) {
            long start = t + r[0];
            incidents.add(new long[] {start, start + r[1]});
            t = start + r[1];
        }
        Truth truth = new Truth(incidents, lastOpen);
        List<Copy> copies = new ArrayList<>();
        for (int k = 0; k < incidents.size(); k++) {
            long[] inc = incidents.get(k);
            for (int p = 0; p < peers; p++) {
                PeerView v = views.get(k * peers + p);
                long start = inc[0] + v.startSkew(); // this peer's earliest activeAt
                long end = inc[1] + v.endSkew(); // when this peer saw it resolve
                for (int r = 0; r < v.firingCopies(); r++) {
                    long sentAt = start + r * 10L;
                    copies.add(new Copy(k, AlertStatus.FIRING, start, sentAt + 240, sentAt + v.delays().get(r),
                            v.tie() + r));
                }
                if (truth.closed(k)) {
                    for (int r = 0; r < v.resolvedCopies(); r++) {
                        copies.add(new Copy(k, AlertStatus.RESOLVED, start, end,
                                end + r * 10L + v.delays().get(3 + r), v.tie() + r));
                    }
                }
            }
        }
        copies.sort(Comparator.comparingLong(Copy::receivedAt).thenComparingInt(Copy::order));
        return new History(truth, copies);
    }

    record Emitted(int incident, Outcome outcome) {
    }

    private static List<Emitted> run(History h) {
        Incident state = null;
        List<Emitted> emitted = new ArrayList<>();
        for (Copy c : h.copies()) {
            Incident.Step step = Incident.apply(state, c.status(), T0.plusSeconds(c.startsAt()),
                    c.endsAt() == null ? null : T0.plusSeconds(c.endsAt()), T0.plusSeconds(c.receivedAt()));
            state = step.next();
            if (step.outcome().changed()) {
                emitted.add(new Emitted(c.incident(), step.outcome()));
            }
        }
        return emitted;
    }

    @Property(tries = 300)
    void everyIncidentIsOpenedAndClosedOnceAndNothingStaleFollowsItsClose(@ForAll("histories") History h) {
        List<Emitted> emitted = run(h);
        Truth truth = h.truth();
        for (int k = 0; k < truth.incidents().size(); k++) {
            int incident = k;
            List<Outcome> ofK = emitted.stream().filter(e -> e.incident() == incident).map(Emitted::outcome).toList();
            // P3: N peers, repeats and re-sends collapse into one change each
            assertThat(ofK.stream().filter(o -> o == Outcome.OPENED).count()).as("opens of #%d", k).isLessThanOrEqualTo(1);
            assertThat(ofK.stream().filter(o -> o == Outcome.CLOSED).count()).as("closes of #%d", k).isLessThanOrEqualTo(1);
            // P2: no resolve lost, whatever the skew
            if (truth.closed(k)) {
                assertThat(ofK).as("#%d resolved", k).contains(Outcome.CLOSED);
            } else {
                assertThat(ofK).as("#%d firing", k).containsExactly(Outcome.OPENED);
            }
            // P1: nothing firing after the resolve of the same incident
            int closedAt = ofK.indexOf(Outcome.CLOSED);
            assertThat(closedAt < 0 || closedAt == ofK.size() - 1).as("#%d: %s", k, ofK).isTrue();
        }
        // P1: the last state is the newest
        Emitted last = emitted.get(emitted.size() - 1);
        assertThat(last.incident()).isEqualTo(truth.incidents().size() - 1);
        assertThat(last.outcome()).isEqualTo(truth.lastOpen() ? Outcome.OPENED : Outcome.CLOSED);
        // in time order: incident k's changes all come before incident k+1's
        for (int i = 1; i < emitted.size(); i++) {
            assertThat(emitted.get(i).incident()).isGreaterThanOrEqualTo(emitted.get(i - 1).incident());
        }
    }

    @Property(tries = 200)
    void noSingleFarFutureTimestampSuppressesLaterIncidents(@ForAll("histories") History h,
                                                            @ForAll("bogus") Copy bogus) {
        List<Copy> copies = new ArrayList<>(h.copies());
        long at = h.copies().get(Math.floorMod(bogus.order(), h.copies().size())).receivedAt();
        copies.add(new Copy(-1, bogus.status(), bogus.startsAt(), bogus.endsAt(), at, -1));
        copies.sort(Comparator.comparingLong(Copy::receivedAt).thenComparingInt(Copy::order));
        List<Emitted> emitted = run(new History(h.truth(), copies));
        Truth truth = h.truth();
        for (int k = 0; k < truth.incidents().size(); k++) {
            if (truth.incidents().get(k)[0] <= at) {
                continue; // under way when the garbage arrived: it may have taken that one
            }
            int incident = k;
            List<Outcome> ofK = emitted.stream().filter(e -> e.incident() == incident).map(Emitted::outcome).toList();
            if (truth.closed(k)) {
                assertThat(ofK).as("#%d after the far-future copy at %d", k, at).contains(Outcome.CLOSED);
            }
        }
        if (truth.incidents().get(truth.incidents().size() - 1)[0] > at) {
            Emitted last = emitted.get(emitted.size() - 1);
            assertThat(last.outcome()).isEqualTo(truth.lastOpen() ? Outcome.OPENED : Outcome.CLOSED);
        }
    }

    private static final long YEAR_9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() - T0.getEpochSecond();

    @Provide
    Arbitrary<Copy> bogus() {
        return Combinators.combine(Arbitraries.of(AlertStatus.values()), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 10_000))
                .as((status, farStart, pick) -> new Copy(-1, status, farStart ? YEAR_9999 : 0,
                        status == AlertStatus.RESOLVED ? YEAR_9999 : null, 0, pick))
                .withoutEdgeCases();
    }
}
