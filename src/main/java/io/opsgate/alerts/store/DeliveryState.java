package io.opsgate.alerts.store;

import java.util.Locale;

/** Where an outbox row stands: waiting or retrying, delivered, or failed for good. */
public enum DeliveryState {
    PENDING, SENT, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromWire(String value) {
        for (DeliveryState s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be pending, sent or failed, got \"" + value + "\"");
    }
}
