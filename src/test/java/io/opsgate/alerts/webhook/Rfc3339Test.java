package io.opsgate.alerts.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-23T10:00:00Z", "2026-11-23T10:00:00.1Z", "2026-11-23T10:00:00.123456789Z",
            "0001-01-01T00:00:00Z", "2024-02-29T23:59:59.5Z", "2026-01-31T00:00:00Z", "2026-11-23T12:00:00+02:00",
            "2026-11-23T10:00:00.000001Z"})
    void agreesWithTheJdk(String text) {
        assertThat(Rfc3339.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:00:00",
            "2026-11-23 10:00:00Z", "2026-11-23T10:00:00.1234567891Z", "yesterday", "2026-1a-01T00:00:00Z"})
    void refusesWhatTheJdkRefuses(String text) {
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
