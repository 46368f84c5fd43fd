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
        assertThat(LinkActivity.roleOf("INIT -> BACKUP: initial state MASTER, but priority 150 < 255 (only the address owner "
                + "starts as MASTER): starts as BACKUP and claims the VIP after master_down_interval 3414ms")).isEqualTo("backup");
        assertThat(LinkActivity.roleOf("MASTER -> STOPPED: keepalived process killed (SIGKILL): no more adverts")).isEqualTo("stopped");
        assertThat(LinkActivity.roleOf("duplicate VIP: a (keepalived killed) and b (MASTER) both hold 127.0.10.200:80")).isNull();
        assertThat(LinkActivity.roleOf("something else")).isNull();
    }
}
