package io.opsgate.alerts.routing;

/** A matcher that does not parse; {@link #column()} is 1-based within the matcher text. */
public final class MatcherSyntaxException extends IllegalArgumentException {
    private final int column;

    public MatcherSyntaxException(int column, String message) {
        super("column " + column + ": " + message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
