package io.opsgate.alerts.model;

/** Alertmanager's alert and group status, in its wire spelling. */
public enum AlertStatus {
    FIRING("firing"), RESOLVED("resolved");

    private final String wire;

    AlertStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static AlertStatus fromWire(String value) {
        for (AlertStatus s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be \"firing\" or \"resolved\", got \"" + value + "\"");
    }
}
