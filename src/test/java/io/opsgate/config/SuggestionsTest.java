package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("interval", "timeout", "jitter", "max_attempts", "ec2");

    @Test
    void suggestsTyposAndOtherSpellings() {
        assertThat(Suggestions.closest("intreval", KEYS)).contains("interval");
        assertThat(Suggestions.closest("intervall", KEYS)).contains("interval");
        assertThat(Suggestions.closest("timout", KEYS)).contains("timeout");
        assertThat(Suggestions.closest("maxAttempts", KEYS)).contains("max_attempts");
        assertThat(Suggestions.closest("max-attempts", KEYS)).contains("max_attempts");
        assertThat(Suggestions.closest("ec3", KEYS)).contains("ec2");
    }

    @Test
    void staysQuietForUnrelatedWords() {
        assertThat(Suggestions.closest("region", KEYS)).isEmpty();
        assertThat(Suggestions.closest("x", KEYS)).isEmpty();
        assertThat(Suggestions.hint("region", KEYS))
                .isEqualTo("; expected one of: interval, timeout, jitter, max_attempts, ec2");
    }

    @Test
    void countsASwapAsOneEdit() {
        assertThat(Suggestions.distance("intreval", "interval")).isEqualTo(1);
        assertThat(Suggestions.distance("abc", "abc")).isZero();
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }
}
