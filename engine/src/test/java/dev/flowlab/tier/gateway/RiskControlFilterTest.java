package dev.flowlab.tier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The deny list's address blocks (Netty's IpSubnetFilterRule), parsed without a name lookup. */
class RiskControlFilterTest {

    private static boolean denied(String block, String source) throws Exception {
        return RiskControlFilter.parseBlock(block).rule().matches(new InetSocketAddress(InetAddress.getByName(source), 0));
    }

    @Test
    void blocks_matchTheirAddresses_only() throws Exception {
        assertThat(denied("127.66.0.0/16", "127.66.3.4")).isTrue();
        assertThat(denied("127.66.0.0/16", "127.67.0.1")).isFalse();
        assertThat(denied("127.0.0.9/32", "127.0.0.9")).isTrue();
        assertThat(denied("127.0.0.9", "127.0.0.9")).as("a bare address is a block of one").isTrue();
        assertThat(denied("127.0.0.9", "127.0.0.10")).isFalse();
        assertThat(denied("10.0.0.0/9", "10.127.255.255")).isTrue();
        assertThat(denied("10.0.0.0/9", "10.128.0.0")).isFalse();
        assertThat(denied("0.0.0.0/0", "203.0.113.7")).isTrue();
        assertThat(denied("::1/128", "::1")).isTrue();
        assertThat(denied("::1/128", "127.0.0.1")).as("IPv4 source, IPv6 block").isFalse();
        assertThat(denied("127.0.0.0/8", "::1")).isFalse();
        assertThat(RiskControlFilter.parseBlock(" 127.66.0.0/16 ").text()).isEqualTo("127.66.0.0/16");
    }

    @Test
    void badBlocks_areRefusedWithTheirText() {
        assertThatThrownBy(() -> RiskControlFilter.parseBlock("localhost")).hasMessage("not an address block: 'localhost'");
        assertThatThrownBy(() -> RiskControlFilter.parseBlock("abc")).hasMessage("not an address block: 'abc'");
        assertThatThrownBy(() -> RiskControlFilter.parseBlock("10.0.0.0/x")).hasMessage("bad prefix length in '10.0.0.0/x'");
        assertThatThrownBy(() -> RiskControlFilter.parseBlock("10.0.0.0/33")).hasMessage("prefix length out of range in '10.0.0.0/33'");
        assertThatThrownBy(() -> RiskControlFilter.parseBlock("::1/129")).hasMessage("prefix length out of range in '::1/129'");
    }
}
