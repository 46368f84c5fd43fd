package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node's menu offers what its state allows, without the toolkit. */
class NodeMenusStateTest {

    @Test
    void running_killStopRestart_notStart() {
        assertThat(NodeMenus.allowed("kill", "running")).isTrue();
        assertThat(NodeMenus.allowed("stop", "running")).isTrue();
        assertThat(NodeMenus.allowed("restart", "running")).isTrue();
        assertThat(NodeMenus.allowed("start", "running")).isFalse();
    }

    @Test
    void killedStoppedOrFailed_startRestart_notKillOrStop() {
        for (String down : new String[] {"killed", "stopped", "failed"}) {
            assertThat(NodeMenus.allowed("kill", down)).as(down).isFalse();
            assertThat(NodeMenus.allowed("stop", down)).as(down).isFalse();
            assertThat(NodeMenus.allowed("start", down)).as(down).isTrue();
            assertThat(NodeMenus.allowed("restart", down)).as(down).isTrue();
        }
    }

    @Test
    void startingOrStopping_onlyRestart() {
        for (String between : new String[] {"starting", "stopping"}) {
            assertThat(NodeMenus.allowed("kill", between)).as(between).isFalse();
            assertThat(NodeMenus.allowed("start", between)).as(between).isFalse();
            assertThat(NodeMenus.allowed("restart", between)).as(between).isTrue();
        }
    }
}
