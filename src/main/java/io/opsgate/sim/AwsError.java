package io.opsgate.sim;

/** An error answered in the protocol's own error shape. Thrown by the API handlers, rendered by the dispatcher. */
final class AwsError extends RuntimeException {

    private final String code;
    private final int status;
    private final boolean sender;

    AwsError(int status, String code, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        this.sender = status < 500;
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    /** awsQuery's {@code <Type>}: Sender for the caller's faults, Receiver for the service's. */
    String type() {
        return sender ? "Sender" : "Receiver";
    }

    static AwsError invalidParameterValue(String message) {
        return new AwsError(400, "InvalidParameterValue", message);
    }

    static AwsError missingParameter(String message) {
        return new AwsError(400, "MissingParameter", message);
    }
}
