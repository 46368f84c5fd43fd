package dev.flowlab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TomcatConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/**
 * Every library scenario's exported server.xml passes the real Tomcat 10's {@code catalina.sh configtest} (Tomcat's
 * digester, which warns on any attribute it cannot set), and its Connector carries exactly the attributes the scenario sets.
 */
class TomcatExportCheckTest {
    @TempDir
    Path dir;

    static final Path CATALINA_HOME = Path.of("/usr/share/tomcat10");

    @Test
    void everyLibraryScenarioExportsAServerXmlThatTomcatAccepts() throws Exception {
        Path catalina = ExportLibrary.tool(CATALINA_HOME.resolve("bin/catalina.sh").toString());
        if (catalina == null) {
            ExportLibrary.skipped("Tomcat 10 (" + CATALINA_HOME + ")", "the exported server.xml files");
        }
        assumeTrue(catalina != null, "no Tomcat 10");
        int checked = 0;
        // One configtest (a JVM start) per distinct file: Tomcats that differ only in their address and name are one check.
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            for (NodeSpec n : s.nodesOfKind(NodeKind.TOMCAT)) {
                Path xml = out.resolve("tomcat").resolve(n.id() + "-server.xml");
                Map<String, String> written = connector(xml);
                written.keySet().removeAll(java.util.Set.of("port", "address", "protocol"));
                assertEquals(expected(n), written, e.getKey() + " / " + n.id());
                checked++;
                if (!seen.add(Files.readString(xml).replaceAll("address=\"[^\"]*\"", "").replace(n.id(), "NODE"))) {
                    continue;
                }
                Path base = Files.createDirectories(dir.resolve("base-" + e.getKey() + "-" + n.id()));
                for (String d : new String[] {"conf", "logs", "temp", "webapps", "work"}) {
                    Files.createDirectories(base.resolve(d));
                }
                // configtest initialises the connector, which binds its port; bindOnInit=false keeps the check from
                // failing on a port some other process holds (the attribute is the only change to the exported file).
                Files.writeString(base.resolve("conf/server.xml"), Files.readString(xml)
                        .replace("protocol=\"org.apache.coyote.http11.Http11NioProtocol\"",
                                "protocol=\"org.apache.coyote.http11.Http11NioProtocol\" bindOnInit=\"false\""));
                ExportLibrary.Run r = ExportLibrary.run(Map.of("CATALINA_HOME", CATALINA_HOME.toString(), "CATALINA_BASE", base.toString()),
                        catalina.toString(), "configtest");
                ExportLibrary.assertAccepted(r, e.getKey() + " / " + n.id() + ": catalina.sh configtest", xml);
                assertThat(r.output()).as(e.getKey() + " / " + n.id() + ": Tomcat's digester warnings")
                        .doesNotContain("failed to set property", "SEVERE", "WARNING: Match");
            }
        }
        assertTrue(checked > 0, "no library scenario has a Tomcat node");
    }

    @Test
    void everyConnectorSettingIsWrittenInTomcatsUnits() throws Exception {
        NodeSpec n = NodeSpec.of("t", NodeKind.TOMCAT).withConfig(new TomcatConfig(4, 2, 10, 50, Duration.ofSeconds(20),
                Duration.ofMillis(1500), 7, null, null));
        Path xml = Files.writeString(dir.resolve("t.xml"), TomcatExporter.export(n, "127.0.40.1:8082"));
        Map<String, String> c = connector(xml);
        assertThat(c).containsEntry("port", "8082").containsEntry("address", "127.0.40.1").containsEntry("maxThreads", "4")
                .containsEntry("minSpareThreads", "2").containsEntry("acceptCount", "10").containsEntry("maxConnections", "50")
                .containsEntry("connectionTimeout", "20000").containsEntry("keepAliveTimeout", "1500")
                .containsEntry("maxKeepAliveRequests", "7");
    }

    /** What the Connector must say: port, address, protocol and the scenario's own settings, nothing else. */
    static Map<String, String> expected(NodeSpec n) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        TomcatConfig c = n.configAs(TomcatConfig.class);
        for (String[] a : TomcatExporter.connectorAttributes(c == null ? TomcatConfig.EMPTY : c)) {
            m.put(a[0], a[1]);
        }
        return m;
    }

    static Map<String, String> connector(Path xml) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element c = (Element) f.newDocumentBuilder().parse(xml.toFile()).getElementsByTagName("Connector").item(0);
        NamedNodeMap attrs = c.getAttributes();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < attrs.getLength(); i++) {
            String name = attrs.item(i).getNodeName();
            m.put(name, attrs.item(i).getNodeValue());
        }
        return m;
    }
}
