package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacing of live figures, with a hand-driven clock and no toolkit. */
class FigureUpdatesTest {
    private static final long MS = 1_000_000L;

    @Test
    void aFewPerFrame_inTurn_newestTextWins_eachLabelAtMostEveryInterval() {
        FigureUpdates updates = FigureUpdates.unpaced();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String label = "label-" + i;
            updates.submit(label, () -> shown.add(label + "=old"));
        }
        updates.submit("label-0", () -> shown.add("label-0=new"));

        updates.pulse(1_000 * MS);
        assertThat(shown).containsExactly("label-0=new", "label-1=old", "label-2=old");
        updates.pulse(1_017 * MS);
        assertThat(shown).hasSize(2 * FigureUpdates.PER_FRAME);
        updates.pulse(1_034 * MS);
        assertThat(shown).hasSize(7);
        assertThat(updates.waiting()).isZero();

        // label-0 changes again a moment later: it waits out its interval, then shows the newest.
        updates.submit("label-0", () -> shown.add("label-0=a"));
        updates.submit("label-0", () -> shown.add("label-0=b"));
        updates.pulse(1_051 * MS);
        assertThat(shown).hasSize(7);
        updates.pulse((1_000 + FigureUpdates.MIN_INTERVAL_MILLIS) * MS);
        assertThat(shown).hasSize(8).last().isEqualTo("label-0=b");
    }

    @Test
    void aForgottenLabel_getsNothingLater() {
        FigureUpdates updates = FigureUpdates.unpaced();
        List<String> shown = new ArrayList<>();
        updates.submit("badge", () -> shown.add("figures"));
        updates.forget("badge");
        updates.pulse(5 * MS);
        assertThat(shown).isEmpty();
    }
}
