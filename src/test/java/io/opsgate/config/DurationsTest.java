package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "10s, PT10S",
        "5m, PT5M",
        "1h30m, PT1H30M",
        "500ms, PT0.5S",
        "1d, PT24H",
        "2w, PT336H",
        "1y, PT8760H",
        "1h0m5s, PT1H5S",
        "1m500ms, PT1M0.5S",
        "0, PT0S",
        "0s, PT0S",
    })
    void parsesPrometheusSyntax(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "five", "5", "1.5h", "-5m", "5M", "30m1h", "1h1h", " 5m", "5m ", "1s1d", "5 m"})
    void rejectsWhatPrometheusRejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a duration like 30s or 5m, got \"" + text + "\"");
    }

    @Test
    void rejectsOverflow() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0s",
        "PT0.5S, 500ms",
        "PT10S, 10s",
        "PT90M, 1h30m",
        "PT24H, 1d",
        "PT169H, 1w1h",
        "PT8760H, 1y",
        "PT1H0.001S, 1h1ms",
    })
    void formatsLargestUnitsFirst(Duration d, String expected) {
        assertThat(Durations.format(d)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "1ms", "999ms", "59s", "5m", "1h30m", "1d2h3m4s5ms", "3w6d23h59m59s999ms", "10y"})
    void roundTrips(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1000, 61_000, 3_599_999, 86_400_000, 987_654_321_012L})
    void roundTripsMillis(long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @Test
    void formatDropsSubMillisecondsAndRejectsNegatives() {
        assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms");
        assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
