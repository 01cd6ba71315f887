package io.opsgate.alerts.store;

import java.util.Locale;

/**
 * Where an outbox row stands: waiting or retrying (pending), an attempt in flight (sending: recorded before the
 * request goes out), delivered, failed for good, or replaced by a newer state of its group before it was delivered
 * (superseded).
 */
public enum DeliveryState {
    PENDING, SENDING, SENT, FAILED, SUPERSEDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromWire(String value) {
        for (DeliveryState s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be pending, sending, sent, failed or superseded, got \"" + value + "\"");
    }
}
