package dev.flowlab.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Netty's DateFormatter writes RFC 7231 IMF-fixdate exactly as nginx and Tomcat do. */
class HttpDatesTest {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void rfcExample_andSingleDigitDays_zeroPadded() {
        assertThat(DateFormatter.format(new Date(784111777000L))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(DateFormatter.format(new Date(0))).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
    }

    @Test
    void sameTextAsTheImfFixdatePattern_overManyInstants() {
        Random random = new Random(14);
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(0, 4_102_444_800L); // 1970 .. 2100
            assertThat(DateFormatter.format(new Date(seconds * 1000)))
                    .isEqualTo(IMF_FIXDATE.format(Instant.ofEpochSecond(seconds)));
        }
    }

    @Test
    void now_isTheCurrentSecond_andTheSameValueWithinIt() {
        long before = System.currentTimeMillis() / 1000;
        String a = HttpDates.now().toString();
        String b = HttpDates.now().toString();
        long after = System.currentTimeMillis() / 1000;
        long parsed = DateFormatter.parseHttpDate(a).getTime() / 1000;
        assertThat(parsed).isBetween(before, after);
        if (before == after) {
            assertThat((Object) HttpDates.now()).isSameAs(HttpDates.now());
            assertThat(b).isEqualTo(a);
        }
    }
}
