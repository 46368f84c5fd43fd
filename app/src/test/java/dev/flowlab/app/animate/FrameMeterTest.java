package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The overlay forgets a stall after 10-20 s; what a benchmark reads keeps every frame since reset. */
class FrameMeterTest {
    private static final long FRAME = 16_667_000L;

    private static long frames(FrameMeter m, long now, int count) {
        for (int i = 0; i < count; i++) {
            now += FRAME;
            m.frame(now);
            m.drew(1_000_000L);
        }
        return now;
    }

    @Test
    void aStallShowsInTheOverlayWhileRecent_andIsForgottenTwentySecondsLater() {
        FrameMeter m = new FrameMeter();
        long now = frames(m, 1_000_000_000L, 300);
        for (int i = 0; i < 10; i++) {
            now += 200_000_000L;
            m.frame(now);
        }
        now = frames(m, now, 60);
        assertThat(m.summary()).as("ten 200 ms frames a second ago").contains("p99 200.");
        now = frames(m, now, 25 * 60);
        assertThat(m.summary()).as("25 s later").startsWith("interval p50 16.7 ms · p99 16.7 ms · 0.0% late · draw p99 1.0 ms · 60 fps");
        assertThat(m.intervalMs(100)).as("since reset, for benchmarks").isGreaterThan(199);
        assertThat(m.lateShare()).isGreaterThan(0);

        m.reset();
        assertThat(m.frames()).isZero();
        frames(m, now + 1_000_000_000L, 10);
        assertThat(m.summary()).contains("p99 16.7 ms");
    }
}
