package dev.flowlab.export;

import static dev.flowlab.export.KeepalivedExporter.host;
import static dev.flowlab.export.KeepalivedExporter.port;

import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.TomcatConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a Tomcat node as a Tomcat 10 server.xml: one NIO Connector where the lab node listens, with exactly the
 * connector attributes the scenario sets (an unset one is left out, so Tomcat's own default applies, the same default
 * the lab uses); an Engine and Host with no applications. Checked by {@code catalina.sh configtest}.
 */
public final class TomcatExporter {
    private TomcatExporter() {
    }

    /** The Connector attributes the scenario sets, in server.xml's names and units (milliseconds for timeouts). */
    public static List<String[]> connectorAttributes(TomcatConfig c) {
        List<String[]> out = new ArrayList<>();
        add(out, "maxThreads", c.maxThreads());
        add(out, "minSpareThreads", c.minSpareThreads());
        add(out, "acceptCount", c.acceptCount());
        add(out, "maxConnections", c.maxConnections());
        add(out, "connectionTimeout", ms(c.connectionTimeout()));
        add(out, "keepAliveTimeout", ms(c.keepAliveTimeout()));
        add(out, "maxKeepAliveRequests", c.maxKeepAliveRequests());
        return out;
    }

    public static String export(NodeSpec node, String listen) {
        TomcatConfig c = node.configAs(TomcatConfig.class);
        if (c == null) {
            c = TomcatConfig.EMPTY;
        }
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<!-- server.xml for the lab node '").append(xml(node.id())).append("', exported by Request Flow Lab.\n");
        b.append("     Check: CATALINA_BASE=DIR catalina.sh configtest (with this file as DIR/conf/server.xml).\n");
        b.append("     Unset connector attributes are left out: Tomcat's defaults apply, as in the lab (maxThreads 200,\n");
        b.append("     minSpareThreads 10, acceptCount 100, maxConnections 8192, connectionTimeout 60000 ms,\n");
        b.append("     keepAliveTimeout = connectionTimeout, maxKeepAliveRequests 100).\n");
        b.append("     The address is the lab's loopback one: a PLACEHOLDER for the host's own (or leave address out for all).\n");
        if (c.serviceTime() != null) {
            b.append("     The lab's serviceTime (how long a request holds a worker) is the application's own work: deploy the\n");
            b.append("     real application under webapps/; the lab's demo servlets are not exported.\n");
        }
        if (c.docBase() != null) {
            b.append("     The lab serves static files from ").append(xml(c.docBase())).append(" under /static/: a Context in the Host.\n");
        }
        b.append("     No shutdown port (port=\"-1\"): stop Tomcat with a signal. -->\n");
        b.append("<Server port=\"-1\" shutdown=\"SHUTDOWN\">\n");
        b.append("  <Service name=\"Catalina\">\n");
        b.append("    <Connector port=\"").append(port(listen)).append("\" address=\"").append(host(listen)).append("\"\n");
        b.append("               protocol=\"org.apache.coyote.http11.Http11NioProtocol\"");
        for (String[] a : connectorAttributes(c)) {
            b.append("\n               ").append(a[0]).append("=\"").append(a[1]).append('"');
        }
        b.append(" />\n");
        b.append("    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n");
        b.append("      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"true\" autoDeploy=\"false\" />\n");
        b.append("    </Engine>\n");
        b.append("  </Service>\n");
        b.append("</Server>\n");
        return b.toString();
    }

    private static void add(List<String[]> out, String name, Object value) {
        if (value != null) {
            out.add(new String[] {name, value.toString()});
        }
    }

    private static Long ms(Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace("--", "- -");
    }
}
