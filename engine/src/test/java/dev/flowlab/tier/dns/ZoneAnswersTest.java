package dev.flowlab.tier.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZoneAnswersTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static List<ZoneAnswers.Vip> vips() throws Exception {
        return List.of(new ZoneAnswers.Vip("a", ip("127.0.10.1")), new ZoneAnswers.Vip("b", ip("127.0.10.2")),
                new ZoneAnswers.Vip("c", ip("127.0.10.3")));
    }

    @Test
    void codes_nxdomainInZone_refusedOutside_nodataForOtherTypes_namesCaseInsensitive() throws Exception {
        List<ZoneAnswers.Vip> v = vips();
        ZoneAnswers z = new ZoneAnswers("taobao.lab", "www.taobao.lab", 60, "fixed", () -> v, x -> true);
        assertThat(z.answer("WWW.Taobao.Lab.", "A").addresses()).hasSize(3);
        assertThat(z.answer("nope.taobao.lab.", "A").code()).isEqualTo(ZoneAnswers.Code.NXDOMAIN);
        assertThat(z.answer("www.example.com.", "A").code()).isEqualTo(ZoneAnswers.Code.REFUSED);
        ZoneAnswers.Answer aaaa = z.answer("www.taobao.lab.", "AAAA");
        assertThat(aaaa.code()).isEqualTo(ZoneAnswers.Code.NOERROR);
        assertThat(aaaa.addresses()).isEmpty();
        assertThat(z.answer("taobao.lab.", "A").code()).as("the apex exists").isEqualTo(ZoneAnswers.Code.NOERROR);
        assertThat(z.answer("www.taobao.lab.", "A").ttl()).isEqualTo(60);
    }

    @Test
    void cyclic_rotatesByOnePerQuery_fixedKeepsOrder_randomKeepsTheSet() throws Exception {
        List<ZoneAnswers.Vip> v = vips();
        ZoneAnswers cyclic = new ZoneAnswers("taobao.lab", "www.taobao.lab", 60, "cyclic", () -> v, x -> true);
        assertThat(cyclic.answer("www.taobao.lab", "A").addresses()).containsExactly(ip("127.0.10.1"), ip("127.0.10.2"), ip("127.0.10.3"));
        assertThat(cyclic.answer("www.taobao.lab", "A").addresses()).containsExactly(ip("127.0.10.2"), ip("127.0.10.3"), ip("127.0.10.1"));
        assertThat(cyclic.answer("www.taobao.lab", "A").addresses()).containsExactly(ip("127.0.10.3"), ip("127.0.10.1"), ip("127.0.10.2"));
        ZoneAnswers fixed = new ZoneAnswers("taobao.lab", "www.taobao.lab", 60, "fixed", () -> v, x -> true);
        fixed.answer("www.taobao.lab", "A");
        assertThat(fixed.answer("www.taobao.lab", "A").addresses()).containsExactly(ip("127.0.10.1"), ip("127.0.10.2"), ip("127.0.10.3"));
        ZoneAnswers random = new ZoneAnswers("taobao.lab", "www.taobao.lab", 60, "random", () -> v, x -> true);
        Set<List<InetAddress>> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<InetAddress> a = random.answer("www.taobao.lab", "A").addresses();
            assertThat(a).containsExactlyInAnyOrder(ip("127.0.10.1"), ip("127.0.10.2"), ip("127.0.10.3"));
            orders.add(a);
        }
        assertThat(orders.size()).isGreaterThan(1);
    }

    @Test
    void healthAware_dropsDownVips_butFailsOpenWhenAllAreDown() throws Exception {
        List<ZoneAnswers.Vip> v = vips();
        Set<String> down = new HashSet<>(Set.of("b"));
        ZoneAnswers z = new ZoneAnswers("taobao.lab", "www.taobao.lab", 60, "fixed", () -> v, x -> !down.contains(x.nodeId()));
        assertThat(z.answer("www.taobao.lab", "A").addresses()).containsExactly(ip("127.0.10.1"), ip("127.0.10.3"));
        down.addAll(Set.of("a", "c"));
        assertThat(z.answer("www.taobao.lab", "A").addresses()).hasSize(3);
    }
}
