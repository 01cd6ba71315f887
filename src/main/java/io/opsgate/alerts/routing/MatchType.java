package io.opsgate.alerts.routing;

/** The four operators of Alertmanager's matchers, in their wire spelling. */
public enum MatchType {
    EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

    private final String operator;

    MatchType(String operator) {
        this.operator = operator;
    }

    public String operator() {
        return operator;
    }

    boolean isRegex() {
        return this == REGEX || this == NOT_REGEX;
    }
}
