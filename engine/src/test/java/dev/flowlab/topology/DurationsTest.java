package dev.flowlab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void theLongestDuration_isAWeek_andParses() {
        assertThat(Durations.parse("168h")).isEqualTo(Duration.ofDays(7)).isEqualTo(Durations.MAX);
        assertThat(Durations.parse("10080m")).isEqualTo(Durations.MAX);
        assertThat(Durations.parse("604800000ms")).isEqualTo(Durations.MAX);
        assertThat(Durations.MAX.toMillis()).as("fits an int of milliseconds").isLessThan(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"168.0001h", "10081m", "604800001ms", "99999999999999999999s", "18446744073709551616us", "9223372036854775807h"})
    void anythingLonger_isRefused_neverClamped(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is longer than a scenario may set: a duration is at most 168h (7 days)");
    }

    @Test
    void aVeryLongText_isQuotedShort() {
        String digits = "9".repeat(100_000) + "s";
        assertThatThrownBy(() -> Durations.parse(digits))
                .hasMessage("'" + "9".repeat(40) + "...' is longer than a scenario may set: a duration is at most 168h (7 days)");
    }

    @Test
    void theUsualForms_stillParse() {
        assertThat(Durations.parse("500us")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse(" 60 s ")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("0ms")).isZero();
    }
}
