package io.opsgate.alerts.webhook;

/**
 * A webhook body that can never be accepted (400). {@code field} is the JSON path at fault, e.g.
 * {@code alerts[3].startsAt}, or null when the body as a whole is at fault.
 */
public final class PayloadException extends Exception {
    private final String field;

    public PayloadException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
