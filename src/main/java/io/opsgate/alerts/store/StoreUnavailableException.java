package io.opsgate.alerts.store;

/**
 * The store cannot take the work now (queue full, disk error, database locked). Callers answer Alertmanager with
 * 503 so that it retries: nothing was committed.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
