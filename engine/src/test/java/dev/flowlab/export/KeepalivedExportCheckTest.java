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

    @Test
    void anHttpGetCheckedNatDirectorWithPersistenceAndAVrrp2PairPassesKeepalived() throws Exception {
        Path keepalived = ExportLibrary.tool("/usr/sbin/keepalived", "/usr/bin/keepalived", "/usr/local/sbin/keepalived");
        if (keepalived == null) {
            ExportLibrary.skipped("keepalived binary", "the HTTP_GET / NAT / VRRPv2 keepalived.conf");
        }
        assumeTrue(keepalived != null, "no keepalived binary");
        var check = new dev.flowlab.topology.HealthCheck("HTTP_GET", java.time.Duration.ofSeconds(3), java.time.Duration.ofMillis(1500),
                2, java.time.Duration.ofSeconds(1), true, "/health", 204);
        var lvs = dev.flowlab.topology.LvsConfig.of("nat", "wrr").withPersistent(true).withHealthCheck(check)
                .withRealServers(java.util.List.of(dev.flowlab.topology.RealServerSpec.node("t1", 3),
                        new dev.flowlab.topology.RealServerSpec("t2", null, 9000, 1, 100, 50)));
        Scenario s = new Scenario(1, "t", null, java.util.List.of(
                NodeSpec.of("l1", NodeKind.LVS).withConfig(lvs), NodeSpec.of("l2", NodeKind.LVS).withConfig(lvs),
                NodeSpec.of("t1", NodeKind.TOMCAT), NodeSpec.of("t2", NodeKind.TOMCAT)),
                java.util.List.of(), null, null, java.util.List.of(new dev.flowlab.topology.HaGroup("ha", null, 7,
                        java.time.Duration.ofMillis(1500), 2, java.util.List.of(dev.flowlab.topology.HaMember.of("l1", 200)
                                .withNopreempt(true).withState("BACKUP").withPreemptDelay(java.time.Duration.ofSeconds(5)),
                        dev.flowlab.topology.HaMember.of("l2", 100)), null)));
        ScenarioExporter.export(s, dir);
        Path conf = dir.resolve("keepalived/l1.conf");
        String text = Files.readString(conf);
        assertThat(text).contains("lb_kind NAT", "lb_algo wrr", "persistence_timeout 300", "HTTP_GET", "path /health",
                "status_code 204", "connect_timeout 1.5", "retry 2", "inhibit_on_failure", "weight 3", "uthreshold 100",
                "lthreshold 50", " 9000 {", "    nopreempt\n", "preempt_delay 5: no effect with nopreempt", "advert_int 2",
                "VRRPv2 carries whole seconds", "# authentication {").doesNotContain("version 3");
        String nic = nic();
        if (!nic.equals(KeepalivedExporter.INTERFACE)) {
            conf = Files.writeString(dir.resolve("keepalived/l1.here.conf"), text.replace("interface " + KeepalivedExporter.INTERFACE, "interface " + nic));
        }
        ExportLibrary.assertAccepted(ExportLibrary.run(Map.of(), keepalived.toString(), "-t", "-f", conf.toString()), "keepalived -t", conf);
        Path l2 = dir.resolve("keepalived/l2.conf");
        if (!nic.equals(KeepalivedExporter.INTERFACE)) {
            l2 = Files.writeString(dir.resolve("keepalived/l2.here.conf"), Files.readString(l2).replace("interface " + KeepalivedExporter.INTERFACE, "interface " + nic));
        }
        ExportLibrary.assertAccepted(ExportLibrary.run(Map.of(), keepalived.toString(), "-t", "-f", l2.toString()), "keepalived -t", l2);
        assertThat(Files.readString(dir.resolve("ipvsadm/l1.rules"))).contains("-s wrr -p 300", ":9000 -m -w 1 -x 100 -y 50");
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
