package dev.flowlab.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.balance.PeerGroup.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The balancers against choices recorded from a real nginx 1.22.1 (three `return 200 "bN"`
 * backends on 127.0.0.1:19101..19103, curl as the client; the recordings are test resources).
 * Consistent hashing depends on the server strings, so the peers carry nginx's own names.
 */
class RealNginxSequencesTest {
    private static final List<PeerSpec> WEIGHTED_112 = List.of(PeerSpec.of("127.0.0.1:19101"), PeerSpec.of("127.0.0.1:19102"),
            PeerSpec.weighted("127.0.0.1:19103", 2));

    private static Map<String, String> recorded(String resource) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = RealNginxSequencesTest.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] kv = line.trim().split(" ");
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    private static String backend(Peer p) {
        return "b" + p.name().substring(p.name().length() - 1);
    }

    private static String pick(PeerGroup g, byte[] addr, String key) {
        Selection s = g.newSelection(addr, key, 0);
        Peer p = g.pick(s, 1L);
        g.free(s, Outcome.OK, 1L);
        return backend(p);
    }

    @Test
    void hashConsistent_matchesNginxKetama() throws IOException {
        PeerGroup g = new PeerGroup("chash", Algorithm.HASH_CONSISTENT, WEIGHTED_112, null);
        Map<String, String> nginx = recorded("nginx-chash.txt");
        assertThat(nginx).hasSize(60);
        nginx.forEach((uri, server) -> assertThat(pick(g, null, uri)).as(uri).isEqualTo(server));
    }

    @Test
    void hash_matchesNginx() throws IOException {
        PeerGroup g = new PeerGroup("plainhash", Algorithm.HASH, WEIGHTED_112, null);
        recorded("nginx-hash.txt").forEach((uri, server) -> assertThat(pick(g, null, uri)).as(uri).isEqualTo(server));
    }

    @Test
    void ipHash_matchesNginx() throws IOException {
        PeerGroup g = new PeerGroup("iphash", Algorithm.IP_HASH,
                List.of(PeerSpec.of("127.0.0.1:19101"), PeerSpec.of("127.0.0.1:19102"), PeerSpec.of("127.0.0.1:19103")), null);
        for (Map.Entry<String, String> e : recorded("nginx-iphash.txt").entrySet()) {
            byte[] addr = InetAddress.getByName(e.getKey()).getAddress();
            assertThat(pick(g, addr, null)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void roundRobin511_matchesNginx() {
        // nginx 1.22.1 answered: b1b1b2b1b3b1b1 b1b1b2b1b3b1b1
        PeerGroup g = new PeerGroup("rr", Algorithm.ROUND_ROBIN, List.of(PeerSpec.weighted("127.0.0.1:19101", 5),
                PeerSpec.of("127.0.0.1:19102"), PeerSpec.of("127.0.0.1:19103")), null);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            b.append(pick(g, null, null));
        }
        assertThat(b.toString()).isEqualTo("b1b1b2b1b3b1b1b1b1b2b1b3b1b1");
    }
}
