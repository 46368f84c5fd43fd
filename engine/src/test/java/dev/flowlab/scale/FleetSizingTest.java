package dev.flowlab.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FleetSizingTest {
    @Test
    void sizesEachTierByTheFigureThatBindsFirst_plusOneSpare() {
        List<FleetSizing.Tier> t = FleetSizing.size(new FleetSizing.Load(95, 20_000_000, 120_000, 4_000_000), 1);
        FleetSizing.Tier maglev = t.get(0);
        assertThat(maglev.kind()).isEqualTo("maglev");
        assertThat(maglev.boxes()).isEqualTo(10);
        assertThat(maglev.withSpare()).isEqualTo(11);
        FleetSizing.Tier lvs = t.get(1);
        // 20 M x 128 B = 2.38 GB: 3 directors of 1 GB; 120,000 conn/s / 50,000 = 3 too
        assertThat(lvs.boxes()).isEqualTo(3);
        FleetSizing.Tier nginx = t.get(2);
        assertThat(nginx.boxes()).isEqualTo(2);
        assertThat(nginx.boundBy()).isEqualTo("requests/s");
    }

    @Test
    void refusesAnEmptyOrNegativeLoad() {
        assertThatThrownBy(() -> new FleetSizing.Load(0, 0, 0, 0)).hasMessageContaining("--gbps");
        assertThatThrownBy(() -> new FleetSizing.Load(-1, 0, 0, 0)).hasMessageContaining("negative");
    }

    @Test
    void everyFigureNamesItsSource() {
        for (PublishedFigures.Figure f : PublishedFigures.all()) {
            assertThat(f.source()).isNotBlank();
            assertThat(f.line()).contains("published figure");
        }
    }
}
