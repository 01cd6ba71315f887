package io.opsgate.alerts.store;

/** The store's answer to "may this replica send this row now" ({@link AlertStore#claim}). */
public sealed interface Claim {
    /** Recorded as {@code sending}; send {@code row}, which is the row as stored now (another replica may have folded alerts into it). */
    record Claimed(PendingDelivery row) implements Claim {
    }

    /** Never send it: superseded, finished, or another live replica delivers it. */
    record Gone() implements Claim {
    }

    /** Another request of its lane is in flight (on another replica): try again once that one has its answer. */
    record LaneBusy() implements Claim {
    }
}
