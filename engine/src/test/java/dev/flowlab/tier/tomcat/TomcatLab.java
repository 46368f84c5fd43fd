package dev.flowlab.tier.tomcat;

import dev.flowlab.stack.Stack;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** A started lab of one client and one Tomcat ("tomcat-1"), for the tier's integration tests. */
final class TomcatLab implements AutoCloseable {
    static final String NODE = "tomcat-1";

    final Lab lab;

    TomcatLab(TomcatConfig config) {
        Scenario scenario = new Scenario(Scenario.FORMAT, "tomcat test", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT),
                        new NodeSpec(NODE, NodeKind.TOMCAT, null, null, null, config)),
                List.of(LinkSpec.of("client", NODE)), null, null);
        this.lab = Stack.lab(scenario);
        lab.start();
    }

    static TomcatLab withDefaults() {
        return new TomcatLab(TomcatConfig.EMPTY);
    }

    /** A config with the connector attributes tests vary; null keeps Tomcat's default. */
    static TomcatConfig config(Integer maxThreads, Integer acceptCount, Integer maxConnections, Duration connectionTimeout,
                               Duration keepAliveTimeout, Integer maxKeepAliveRequests, Duration fixedServiceTime) {
        return new TomcatConfig(maxThreads, null, acceptCount, maxConnections, connectionTimeout, keepAliveTimeout,
                maxKeepAliveRequests, fixedServiceTime == null ? null : ServiceTime.fixed(fixedServiceTime), null);
    }

    InetSocketAddress address() {
        return lab.address(NODE);
    }

    String url(String path) {
        InetSocketAddress a = address();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path;
    }

    TomcatServer server() {
        return (TomcatServer) lab.node(NODE).orElseThrow();
    }

    @Override
    public void close() {
        lab.close();
    }
}
