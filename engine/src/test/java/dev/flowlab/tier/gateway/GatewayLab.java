package dev.flowlab.tier.gateway;

import dev.flowlab.stack.Stack;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A started lab of client -> gateway-1 -> tomcat-1..n, and an HTTP client to talk to the gateway. */
final class GatewayLab implements AutoCloseable {
    static final String GATEWAY = "gateway-1";

    final Lab lab;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    GatewayLab(GatewayConfig config, int tomcats) {
        this(config, tomcats, Duration.ZERO);
    }

    GatewayLab(GatewayConfig config, int tomcats, Duration serviceTime) {
        this(config, tomcats, serviceTime, null);
    }

    /** On this clock (a manual one stands still until the test advances it); null: the real one. */
    GatewayLab(GatewayConfig config, int tomcats, LabClock clock) {
        this(config, tomcats, Duration.ZERO, clock);
    }

    GatewayLab(GatewayConfig config, int tomcats, Duration serviceTime, LabClock clock) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT));
        nodes.add(new NodeSpec(GATEWAY, NodeKind.GATEWAY, null, null, null, config));
        links.add(LinkSpec.of("client", GATEWAY));
        for (int i = 1; i <= tomcats; i++) {
            nodes.add(new NodeSpec("tomcat-" + i, NodeKind.TOMCAT, null, null, null,
                    TomcatConfig.EMPTY.withServiceTime(ServiceTime.fixed(serviceTime))));
            links.add(LinkSpec.of(GATEWAY, "tomcat-" + i));
        }
        this.lab = Stack.lab(new Scenario(Scenario.FORMAT, "gateway test", null, nodes, links, null, null),
                LabOptions.defaults().withClock(clock));
        lab.start();
    }

    GatewayServer gateway() {
        return (GatewayServer) lab.node(GATEWAY).orElseThrow();
    }

    URI uri(String path) {
        return uri(lab.address(GATEWAY), path);
    }

    static URI uri(InetSocketAddress a, String path) {
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        lab.close();
    }
}
