package io.opsgate.collect;

/** A cycle ran past its deadline: what it had not read yet is not read, and the previous values stay served. */
public final class CycleTimeoutException extends RuntimeException {
    public CycleTimeoutException(String message) {
        super(message, null, false, false);
    }
}
