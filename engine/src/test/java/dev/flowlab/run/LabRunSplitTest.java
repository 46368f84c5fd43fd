package dev.flowlab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabRunSplitTest {
    @Test
    void severalClients_shareTheRateEvenly_andDealOutTheUsers() {
        List<Traffic> shares = LabRun.split(new Traffic("closed", 300.0, 5, Duration.ofSeconds(1), null), 3);

        assertThat(shares).extracting(Traffic::rps).containsOnly(100.0);
        assertThat(shares).extracting(Traffic::concurrency).containsExactly(2, 2, 1);
        assertThat(shares).extracting(Traffic::mode).containsOnly("closed");
    }

    @Test
    void scriptActions_nameTheirEventsLikeTheNodesDo() {
        assertThat(LabRun.typeOf("kill")).isEqualTo("node_killed");
        assertThat(LabRun.typeOf("stop")).isEqualTo("node_stopped");
        assertThat(LabRun.typeOf("start")).isEqualTo("node_started");
        assertThat(LabRun.typeOf("restart")).isEqualTo("node_restarted");
        assertThat(LabRun.typeOf("slow")).isEqualTo("fault_applied");
    }
}
