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

/** Every library scenario's exported keepalived.conf passes the real keepalived's {@code keepalived -t -f FILE}. */
class KeepalivedExportCheckTest {
    @TempDir
    Path dir;

    @Test
    void everyLibraryScenarioExportsAKeepalivedConfThatKeepalivedAccepts() throws Exception {
        Path keepalived = ExportLibrary.tool("/usr/sbin/keepalived", "/usr/bin/keepalived", "/usr/local/sbin/keepalived");
        if (keepalived == null) {
            ExportLibrary.skipped("keepalived binary", "the exported keepalived.conf files");
        }
        assumeTrue(keepalived != null, "no keepalived binary");
        String nic = nic();
        int checked = 0;
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            for (NodeSpec n : s.nodes()) {
                if (!KeepalivedExporter.runsKeepalived(s, n)) {
                    continue;
                }
                Path conf = out.resolve("keepalived").resolve(n.id() + ".conf");
                String text = Files.readString(conf);
                if (!nic.equals(KeepalivedExporter.INTERFACE)) {
                    // keepalived checks that the interface exists; this host's NIC stands in for the placeholder.
                    conf = Files.writeString(out.resolve("keepalived").resolve(n.id() + ".here.conf"),
                            text.replace("interface " + KeepalivedExporter.INTERFACE, "interface " + nic));
                }
                ExportLibrary.assertAccepted(ExportLibrary.run(Map.of(), keepalived.toString(), "-t", "-f", conf.toString()),
                        e.getKey() + " / " + n.id() + ": keepalived -t", conf);
                if (s.haGroupOf(n.id()).isPresent()) {
                    assertThat(text).contains("vrrp_instance", "virtual_router_id", "priority", "advert_int", "virtual_ipaddress");
                }
                if (n.kind() == NodeKind.LVS) {
                    assertThat(text).contains("virtual_server", "real_server", "lb_algo", "lb_kind", "delay_loop");
                }
                checked++;
            }
        }
        assertTrue(checked > 0, "no library scenario has a keepalived node");
    }

    @Test
    void theLvsPairIsAVrrpInstanceWithItsVirtualServerAndHealthChecks() throws Exception {
        Scenario s = ExportLibrary.scenarios().get("07-lvs-pair.json");
        ScenarioExporter.export(s, dir);
        String master = Files.readString(dir.resolve("keepalived/lvs-1.conf"));
        String backup = Files.readString(dir.resolve("keepalived/lvs-2.conf"));
        assertThat(master).contains("state MASTER", "priority 150", "virtual_router_id 52", "version 3", "advert_int 0.2",
                "lb_algo wlc", "lb_kind DR", "TCP_CHECK", "connect_timeout 1", "delay_before_retry 0.5", "delay_loop 1");
        assertThat(backup).contains("state BACKUP", "priority 100");
        assertThat(master).as("the pair has no track_script").doesNotContain("vrrp_script", "track_script");
        assertThat(master).contains("virtual_ipaddress {").contains("127.0.10.200/32");
        Scenario ha = ExportLibrary.scenarios().get("06-keepalived-nginx.json");
        ScenarioExporter.export(ha, dir.resolve("ha"));
        String nginxMaster = Files.readString(dir.resolve("ha/keepalived/nginx-master.conf"));
        assertThat(nginxMaster).contains("vrrp_script chk_nginx", "rise 2", "fall 2", "track_script {", "advert_int 1")
                .doesNotContain("virtual_server");
    }

    /** The export's placeholder NIC if this host has it, else the first non-loopback interface. */
    static String nic() throws Exception {
        Path net = Path.of("/sys/class/net");
        if (Files.exists(net.resolve(KeepalivedExporter.INTERFACE)) || !Files.isDirectory(net)) {
            return KeepalivedExporter.INTERFACE;
        }
        try (var list = Files.list(net)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals("lo")).sorted().findFirst()
                    .orElse(KeepalivedExporter.INTERFACE);
        }
    }
}
