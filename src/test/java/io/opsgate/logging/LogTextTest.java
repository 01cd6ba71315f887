package io.opsgate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void escapesControlCharactersAndLineSeparatorsOnly() {
        assertThat(LogText.escape("plain text, ünïcödé, \\d+ C:\\path")).isEqualTo("plain text, ünïcödé, \\d+ C:\\path");
        assertThat(LogText.escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
        assertThat(LogText.escape("\u0000\u0007\u001b[31m\u007f\u0085\u009b\u2028\u2029"))
                .isEqualTo("\\u0000\\u0007\\u001b[31m\\u007f\\u0085\\u009b\\u2028\\u2029");
        assertThat(LogText.escape((String) null)).isEqualTo("null");
        assertThat(LogText.escape(new IllegalStateException("bad\u001bvalue"))).isEqualTo(
                "java.lang.IllegalStateException: bad\\u001bvalue");
        for (char c = 0; c < 0x20; c++) {
            assertThat(LogText.escape("x" + c + "y")).as("char %d", (int) c).matches("x\\\\[nrtu][0-9a-f]{0,4}y");
        }
    }
}
