package io.opsgate.alerts.store;

import io.opsgate.alerts.model.AlertStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of one alert (fingerprint) on one route: the incident it is in, and the state machine that decides
 * what each copy of it that an Alertmanager peer delivers means. Pure: no I/O, no clock; the store keeps the
 * state in {@code alert_state} and applies {@link #apply} in the ingest transaction.
 * <p>
 * <b>Why not compare {@code (status, startsAt)}.</b> Behind a Prometheus HA pair each replica computes its own
 * {@code activeAt}, so the same alert reaches each Alertmanager with a different {@code startsAt}; each Alertmanager
 * keeps the earliest it has seen, and unclustered (or partitioned) peers disagree until both have both copies.
 * {@code fingerprint} and {@code groupKey} are identical across peers, {@code startsAt} is not. So one incident is
 * one firing period of a fingerprint, however many {@code startsAt} its copies carry.
 * <p>
 * <b>Rules</b> ({@code s} is the copy's {@code startsAt}, never later than when we received it; the <i>horizon</i>
 * is the end of the last closed incident):
 * <ol>
 * <li>A copy (firing or resolved) with {@code s} not after the horizon belongs to the closed incident: a lagging
 *     peer that has not seen the resolve yet, Prometheus re-sending a resolved alert (it does so for 15 minutes),
 *     Alertmanager re-sending a group that still holds it. It changes nothing ({@link Outcome#STALE}). Alertmanager
 *     itself never gives a new firing period a {@code startsAt} inside an old one: it merges overlapping periods
 *     and starts a new one only after the old one's {@code endsAt}.</li>
 * <li>A firing copy while an incident is open is a copy of it ({@link Outcome#JOINED}, nothing to notify); the
 *     incident's start becomes the earliest {@code startsAt} seen, and its {@code endsAt} the latest reported
 *     (for firing alerts that is Alertmanager's resolve timeout, a time in the future, not an end).</li>
 * <li>A firing copy otherwise opens a new incident ({@link Outcome#OPENED}): the first one, or a re-fire after
 *     the horizon.</li>
 * <li>A resolved copy closes the open incident ({@link Outcome#CLOSED}) whichever peer's {@code startsAt} it
 *     carries; with no open incident it records a closed one (a resolve whose firing we never saw, e.g. it came
 *     before this gateway's store existed; forwarding it is what Alertmanager would have done). The incident's end,
 *     the new horizon, is the copy's {@code endsAt}, clamped to [incident start, received at].</li>
 * </ol>
 * <b>No timestamp can suppress later real states.</b> Only the horizon ever makes a copy stale, and the horizon is
 * an {@code endsAt} clamped to when we received it, so a resolve stamped in year 9999 suppresses nothing that
 * starts after it arrived; a {@code startsAt} in year 9999 is clamped the same way and cannot keep a later resolve
 * from closing the incident (resolves close whatever they carry).
 * <p>
 * Known limit, by design: when one Prometheus replica keeps an alert firing for real long after the other resolved
 * it (their data disagree for longer than an evaluation or two), that replica's copies carry the old {@code startsAt}
 * and are taken as stale: the incident stays resolved until a copy with a later start arrives.
 *
 * @param status      FIRING: an incident is open; RESOLVED: the last incident is closed
 * @param startsAt    the incident's start: the earliest {@code startsAt} among its copies
 * @param endsAt      FIRING: the latest {@code endsAt} a copy reported (a timeout, may be null); RESOLVED: its end
 * @param horizon     the end of the last closed incident (RESOLVED: equal to {@code endsAt}); null if none closed
 */
public record Incident(AlertStatus status, Instant startsAt, Instant endsAt, Instant horizon) {

    public Incident {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startsAt, "startsAt");
        if (status == AlertStatus.RESOLVED) {
            Objects.requireNonNull(endsAt, "endsAt of a closed incident");
            horizon = endsAt;
        }
    }

    /** What a copy meant. Only OPENED and CLOSED are state changes that get notified. */
    public enum Outcome {
        OPENED, CLOSED, JOINED, STALE;

        public boolean changed() {
            return this == OPENED || this == CLOSED;
        }
    }

    /** The outcome of one copy and the state after it ({@code next} equals {@code current} when nothing changed). */
    public record Step(Outcome outcome, Incident next) {
    }

    /**
     * Applies one copy of the alert.
     *
     * @param current    the state so far, or null for a fingerprint never seen on this route
     * @param endsAt     the copy's {@code endsAt}, null when Alertmanager sent none (the zero time)
     * @param receivedAt when the gateway accepted the webhook carrying it
     */
    public static Step apply(Incident current, AlertStatus status, Instant startsAt, Instant endsAt,
                             Instant receivedAt) {
        Instant s = min(startsAt, receivedAt);
        Instant horizon = current == null ? null : current.horizon();
        if (horizon != null && !s.isAfter(horizon)) {
            return new Step(Outcome.STALE, current);
        }
        boolean open = current != null && current.status() == AlertStatus.FIRING;
        if (status == AlertStatus.FIRING) {
            if (open) {
                Incident joined = new Incident(AlertStatus.FIRING, min(current.startsAt(), s),
                        max(current.endsAt(), endsAt), horizon);
                return new Step(Outcome.JOINED, joined);
            }
            return new Step(Outcome.OPENED, new Incident(AlertStatus.FIRING, s, endsAt, horizon));
        }
        Instant start = open ? min(current.startsAt(), s) : s;
        Instant end = endsAt == null ? receivedAt : min(endsAt, receivedAt);
        end = max(end, start);
        return new Step(Outcome.CLOSED, new Incident(AlertStatus.RESOLVED, start, end, end));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
