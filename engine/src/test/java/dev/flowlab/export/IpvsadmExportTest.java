package dev.flowlab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every library scenario's ipvsadm rules parse back, by ipvsadm's own grammar, to the director the lab runs. The real
 * {@code ipvsadm-restore} has no dry run (it clears the kernel's table, then needs the ip_vs module), so this parser is
 * the check: every option is one ipvsadm accepts in that position, the service is added before its real servers.
 */
class IpvsadmExportTest {
    @TempDir
    Path dir;

    record Service(String scheduler, Integer persistence, Map<String, String> realServers) {
    }

    /** Parses an ipvsadm-restore file (lines starting with # dropped, as the wrapper does); fails on anything ipvsadm would refuse. */
    static Map<String, Service> parse(String text) {
        Map<String, Service> services = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            List<String> t = List.of(line.trim().split("\\s+"));
            String where = "line " + lineNo + ": " + line;
            assertTrue(t.size() >= 3 && t.get(1).equals("-t"), where + ": expected -A|-a -t VIP:port");
            String vip = t.get(2);
            assertTrue(vip.matches("\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+"), where + ": bad service address");
            if (t.get(0).equals("-A")) {
                String sched = "wlc";
                Integer persistence = null;
                for (int i = 3; i < t.size(); i++) {
                    switch (t.get(i)) {
                        case "-s" -> sched = t.get(++i);
                        case "-p" -> persistence = Integer.parseInt(t.get(++i));
                        case "-b" -> assertEquals("mh-port", t.get(++i), where);
                        default -> throw new AssertionError(where + ": unknown option " + t.get(i));
                    }
                }
                assertThat(Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh")).contains(sched);
                services.put(vip, new Service(sched, persistence, new LinkedHashMap<>()));
            } else if (t.get(0).equals("-a")) {
                Service s = services.get(vip);
                assertTrue(s != null, where + ": real server before its service (-A)");
                String rs = null;
                String method = "-g";
                String weight = "1";
                for (int i = 3; i < t.size(); i++) {
                    switch (t.get(i)) {
                        case "-r" -> rs = t.get(++i);
                        case "-g", "-m", "-i" -> method = t.get(i);
                        case "-w" -> weight = t.get(++i);
                        case "-x", "-y" -> Integer.parseInt(t.get(++i));
                        default -> throw new AssertionError(where + ": unknown option " + t.get(i));
                    }
                }
                assertTrue(rs != null && rs.matches("\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+"), where + ": -r RS:port");
                s.realServers().put(rs, method + " " + weight);
            } else {
                throw new AssertionError(where + ": expected -A or -a");
            }
        }
        return services;
    }

    @Test
    void everyLvsNodeExportsRulesThatParseBackToItsDirector() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            Map<String, String> addresses = ScenarioExporter.addresses(s);
            for (NodeSpec n : s.nodesOfKind(NodeKind.LVS)) {
                String text = Files.readString(out.resolve("ipvsadm").resolve(n.id() + ".rules"));
                Map<String, Service> services = parse(text);
                assertEquals(1, services.size(), e.getKey() + " / " + n.id() + ":\n" + text);
                LvsConfig c = Params.withDefaults(n.configAs(LvsConfig.class));
                Service svc = services.values().iterator().next();
                assertEquals(c.scheduler(), svc.scheduler(), e.getKey() + " / " + n.id());
                assertEquals(Boolean.TRUE.equals(c.persistent()) ? (Integer) (int) c.persistenceTimeout().toSeconds() : null, svc.persistence());
                List<String> expected = new ArrayList<>();
                for (var r : KeepalivedExporter.realServers(s, n, c)) {
                    expected.add(KeepalivedExporter.host(addresses.getOrDefault(r.node(), r.address() == null ? "" : r.address())));
                }
                assertEquals(expected, svc.realServers().keySet().stream().map(KeepalivedExporter::host).toList(), e.getKey() + " / " + n.id());
                String method = "nat".equals(c.mode()) ? "-m" : "-g";
                assertThat(svc.realServers().values()).allMatch(v -> v.startsWith(method + " "));
                checked++;
            }
        }
        assertTrue(checked > 0, "no library scenario has an LVS node");
    }

    @Test
    void natKeepsTheRealServersPortsAndDrTheVips() throws Exception {
        Scenario nat = ExportLibrary.scenarios().get("07-lvs-nginx-nat.json");
        ScenarioExporter.export(nat, dir.resolve("nat"));
        Map<String, String> a = ScenarioExporter.addresses(nat);
        Map<String, Service> svc = parse(Files.readString(dir.resolve("nat/ipvsadm/lvs.rules")));
        String nginx = nat.downstreamOf("lvs").get(0).id();
        assertThat(svc.values().iterator().next().realServers()).containsEntry(a.get(nginx), "-m 1");
        Scenario dr = ExportLibrary.scenarios().get("07-lvs-pair.json");
        ScenarioExporter.export(dr, dir.resolve("dr"));
        Map<String, Service> drs = parse(Files.readString(dir.resolve("dr/ipvsadm/lvs-1.rules")));
        String vip = drs.keySet().iterator().next();
        assertThat(vip).startsWith("127.0.10.200:");
        assertThat(drs.get(vip).realServers().keySet()).allMatch(rs -> KeepalivedExporter.port(rs) == KeepalivedExporter.port(vip));
    }
}
