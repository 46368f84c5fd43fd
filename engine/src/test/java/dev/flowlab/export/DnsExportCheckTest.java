package dev.flowlab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every library scenario's exported zone passes {@code nsd-checkzone}, its nsd.conf {@code nsd-checkconf}. */
class DnsExportCheckTest {
    @TempDir
    Path dir;

    @Test
    void everyLibraryScenarioExportsAZoneAndAnNsdConfThatNsdAccepts() throws Exception {
        Path checkzone = ExportLibrary.tool("/usr/sbin/nsd-checkzone", "/usr/bin/nsd-checkzone", "/usr/local/sbin/nsd-checkzone");
        Path checkconf = ExportLibrary.tool("/usr/sbin/nsd-checkconf", "/usr/bin/nsd-checkconf", "/usr/local/sbin/nsd-checkconf");
        if (checkzone == null || checkconf == null) {
            ExportLibrary.skipped("nsd (nsd-checkzone, nsd-checkconf)", "the exported zone files and nsd.conf");
        }
        assumeTrue(checkzone != null && checkconf != null, "no nsd tools");
        int checked = 0;
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            for (NodeSpec n : s.nodesOfKind(NodeKind.DNS)) {
                String zone = DnsExporter.zoneName(n);
                Path zoneFile = out.resolve("dns").resolve(zone + ".zone");
                Path conf = out.resolve("dns").resolve(n.id() + "-nsd.conf");
                ExportLibrary.assertAccepted(ExportLibrary.run(Map.of(), checkzone.toString(), zone, zoneFile.toString()),
                        e.getKey() + " / " + n.id() + ": nsd-checkzone", zoneFile);
                ExportLibrary.assertAccepted(ExportLibrary.run(Map.of(), checkconf.toString(), conf.toString()),
                        e.getKey() + " / " + n.id() + ": nsd-checkconf", conf);
                checked++;
            }
        }
        assertTrue(checked > 0, "no library scenario has a DNS node");
    }

    @Test
    void theZoneHasTheVipsWithTheLabsTtl() throws Exception {
        Scenario s = ExportLibrary.scenarios().get("08-dns-multi-lvs.json");
        ScenarioExporter.export(s, dir);
        Map<String, String> a = ScenarioExporter.addresses(s);
        String zone = Files.readString(dir.resolve("dns/taobao.lab.zone"));
        assertThat(zone).contains("$TTL 10", "IN SOA ns1.taobao.lab.", "IN NS ns1.taobao.lab.",
                "www.taobao.lab. 10 IN A " + KeepalivedExporter.host(a.get("lvs-1")),
                "www.taobao.lab. 10 IN A " + KeepalivedExporter.host(a.get("lvs-2")));
        assertThat(Files.readString(dir.resolve("dns/dns-nsd.conf"))).contains("round-robin: yes", "port: ");
    }
}
