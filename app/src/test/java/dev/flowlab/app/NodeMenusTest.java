package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which node actions the context menu offers, without the UI toolkit. */
class NodeMenusTest {

    @Test
    void aKeepalivedMember_tellsTheHostKillFromTheProcessKill() {
        assertThat(NodeMenus.actionsFor(true)).extracting(a -> a[0] + ": " + a[1]).startsWith(
                "kill: Kill host (node and keepalived)",
                "kill-keepalived: Kill keepalived process only (VIP stays)",
                "start-keepalived: Start keepalived");
        assertThat(NodeMenus.actionsFor(false)).extracting(a -> a[0]).containsExactly("kill", "stop", "start", "restart");
    }

    @Test
    void keepalivedIsKilledWhileItRuns_andStartedWhileItDoesNot_onARunningNode() {
        assertThat(NodeMenus.applicable("kill-keepalived", true, true)).isTrue();
        assertThat(NodeMenus.applicable("kill-keepalived", true, false)).isFalse();
        assertThat(NodeMenus.applicable("start-keepalived", true, false)).isTrue();
        assertThat(NodeMenus.applicable("start-keepalived", true, true)).isFalse();
        assertThat(NodeMenus.applicable("start-keepalived", false, false)).isFalse();
        assertThat(NodeMenus.applicable("kill", false, false)).isTrue();
    }
}
