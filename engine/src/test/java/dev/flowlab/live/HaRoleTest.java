package dev.flowlab.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The badge's HA role follows what keepalived's instance became, not the first state word in the sentence. */
class HaRoleTest {
    @Test
    void aDemotedMaster_isABackup_andEveryOtherSentenceNamesItsState() {
        assertThat(LinkActivity.roleOf("MASTER -> BACKUP: higher priority advert from lvs-2")).isEqualTo("backup");
        assertThat(LinkActivity.roleOf("BACKUP -> MASTER: no advert within master_down_interval")).isEqualTo("master");
        assertThat(LinkActivity.roleOf("MASTER -> FAULT: track_script failed")).isEqualTo("fault");
        assertThat(LinkActivity.roleOf("MASTER -> STOPPED: killed")).isEqualTo("stopped");
        assertThat(LinkActivity.roleOf("MASTER holds VIP 127.0.10.1")).isEqualTo("master");
        assertThat(LinkActivity.roleOf("BACKUP: master lvs-1 has lower priority 100")).isEqualTo("backup");
        assertThat(LinkActivity.roleOf("something else")).isNull();
    }
}
