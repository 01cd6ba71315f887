package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvInterpolatorTest {
    private final EnvInterpolator env = new EnvInterpolator(
            Map.of("HOST", "db.internal", "PORT", "5432", "EMPTY", "", "DOLLAR", "${HOST}$$")::get);

    @Test
    void leavesPlainTextAlone() throws Exception {
        assertThat(env.expand("plain")).isEqualTo("plain");
        assertThat(env.expand("")).isEqualTo("");
    }

    @Test
    void expandsVariables() throws Exception {
        assertThat(env.expand("${HOST}:${PORT}")).isEqualTo("db.internal:5432");
        assertThat(env.expand("x${HOST}y")).isEqualTo("xdb.internaly");
    }

    @Test
    void usesDefaultWhenUnsetOrEmpty() throws Exception {
        assertThat(env.expand("${MISSING:-fallback}")).isEqualTo("fallback");
        assertThat(env.expand("${EMPTY:-fallback}")).isEqualTo("fallback");
        assertThat(env.expand("${MISSING:-}")).isEqualTo("");
        assertThat(env.expand("${HOST:-fallback}")).isEqualTo("db.internal");
        assertThat(env.expand("${MISSING:-a:-b}")).isEqualTo("a:-b");
    }

    @Test
    void setButEmptyWithoutDefaultIsEmpty() throws Exception {
        assertThat(env.expand("[${EMPTY}]")).isEqualTo("[]");
    }

    @Test
    void doubleDollarIsALiteralDollar() throws Exception {
        assertThat(env.expand("$${HOST}")).isEqualTo("${HOST}");
        assertThat(env.expand("a$$b")).isEqualTo("a$b");
        assertThat(env.expand("$$$${HOST}")).isEqualTo("$${HOST}");
    }

    @Test
    void loneDollarIsKept() throws Exception {
        assertThat(env.expand("pa$word")).isEqualTo("pa$word");
        assertThat(env.expand("cost: 5$")).isEqualTo("cost: 5$");
    }

    @Test
    void doesNotExpandRecursively() throws Exception {
        assertThat(env.expand("${DOLLAR}")).isEqualTo("${HOST}$$");
        assertThat(env.expand("${MISSING:-${HOST}")).isEqualTo("${HOST");
    }

    @Test
    void unsetVariableWithoutDefaultNamesTheVariable() {
        assertThatThrownBy(() -> env.expand("${NOPE}"))
                .isInstanceOf(EnvInterpolator.Failure.class)
                .hasMessage("environment variable NOPE is not set (write ${NOPE:-default} to give a default)");
    }

    @Test
    void malformedReferencesAreErrors() {
        assertThatThrownBy(() -> env.expand("${HOST")).hasMessageStartingWith("unterminated \"${\"");
        assertThatThrownBy(() -> env.expand("${}")).hasMessageStartingWith("malformed variable reference");
        assertThatThrownBy(() -> env.expand("${1X}")).hasMessageStartingWith("malformed variable reference");
        assertThatThrownBy(() -> env.expand("${A-b}")).hasMessageStartingWith("malformed variable reference");
    }
}
