package io.opsgate.alerts.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TimestampsTest {

    /** Seconds from before year 0000 to after 9999, nanos at every granularity the JDK prints (3, 6, 9 digits). */
    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.oneOf(
                Arbitraries.longs().between(-62_167_219_200L - 86_400L * 400, 253_402_300_799L + 86_400L * 400),
                Arbitraries.longs().between(1_600_000_000L, 1_900_000_000L),
                Arbitraries.of(-62_167_219_200L, -62_167_219_201L, 253_402_300_799L, 253_402_300_800L, 0L, -1L));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1000),
                Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    @Property(tries = 3000)
    void formatIsTheJdksText(@ForAll("instants") Instant t) {
        assertThat(Timestamps.format(t)).isEqualTo(t.toString());
    }

    @Property(tries = 3000)
    void parseReadsWhatEitherWrites(@ForAll("instants") Instant t) {
        assertThat(Timestamps.parse(Timestamps.format(t))).isEqualTo(t);
        assertThat(Timestamps.parse(t.toString())).isEqualTo(Instant.parse(t.toString()));
    }

    @Example
    void anyOtherTextIsTakenOrRefusedAsTheJdkDoes() {
        int taken = 0;
        for (String other : new String[] {"2024-01-01T10:00:00.1Z", "2024-01-01T10:00:00.12345Z",
                "+10000-01-01T00:00:00Z", "2024-12-31T23:59:60Z", "2024-01-01t10:00:00z", "2024-02-30T00:00:00Z",
                "2023-02-29T10:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-01T24:00:00Z",
                "2024-01-01T10:60:00Z", "2024-01-01T10:00:00", "2024-01-01T10:00:00.1x3Z", "", "not a time"}) {
            Instant jdk;
            try {
                jdk = Instant.parse(other);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> Timestamps.parse(other)).as(other).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(Timestamps.parse(other)).as(other).isEqualTo(jdk);
            taken++;
        }
        assertThat(taken).as("some of them are real times").isPositive();
    }
}
