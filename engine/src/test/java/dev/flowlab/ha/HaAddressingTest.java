package dev.flowlab.ha;

import dev.flowlab.stack.Stack;
import static dev.flowlab.ha.HaPair.awaitState;
import static dev.flowlab.ha.HaPair.awaitVipServedBy;
import static dev.flowlab.ha.HaPair.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.tier.dns.DnsServer;
import dev.flowlab.topology.DnsConfig;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Links, A records and clients that name a member of an HA group reach the group's VIP. */
class HaAddressingTest {

    private static Scenario behindDns() {
        List<NodeSpec> nodes = List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("dns", NodeKind.DNS).withConfig(DnsConfig.EMPTY.withHealthAware(true)),
                NodeSpec.of("a", NodeKind.TOMCAT), NodeSpec.of("b", NodeKind.TOMCAT));
        HaGroup group = new HaGroup("pair", "127.0.10.240", 9, HaPair.ADVERT, 3,
                List.of(HaMember.of("a", 150).withState("MASTER"), HaMember.of("b", 100)), null);
        return new Scenario(Scenario.FORMAT, "dns-pair", null, nodes,
                List.of(LinkSpec.of("client", "dns"), LinkSpec.of("dns", "a"), LinkSpec.of("dns", "b")), null, null, List.of(group));
    }

    @Test
    void dnsAnswersTheVipOnce_andKeepsItWhileTheStandbyHoldsIt() throws Exception {
        try (Lab lab = Stack.lab(behindDns())) {
            lab.start();
            InetAddress vip = InetAddress.getByName("127.0.10.240");
            assertThat(group(lab).vip().getAddress()).isEqualTo(vip);
            DnsServer dns = (DnsServer) lab.node("dns").orElseThrow();
            assertThat(dns.zone().current()).containsExactly(vip);

            HaPair.awaitBackupHeardMaster(lab, "b");
            lab.kill("a").get();
            awaitState(lab, "b", VrrpState.MASTER);
            awaitVipServedBy(lab, "b");
            // a is down, but the VIP it stood for is held by b: the health-aware answer keeps it.
            assertThat(dns.zone().current()).containsExactly(vip);
        }
    }

    @Test
    void theClientsTarget_isTheVip_whileEachMemberKeepsItsOwnAddress() {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup())) {
            lab.start();
            assertThat(lab.serviceAddress("a")).isEqualTo(group(lab).vip());
            assertThat(lab.address("a")).isNotEqualTo(lab.address("b")).isNotEqualTo(group(lab).vip());
            assertThat(HaPair.servedBy(lab.address("b"))).isEqualTo("b");
            awaitVipServedBy(lab, "a");
        }
    }
}
