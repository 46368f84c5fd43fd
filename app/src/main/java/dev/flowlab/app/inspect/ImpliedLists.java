package dev.flowlab.app.inspect;

import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.List;

/**
 * What a node runs with while one of its config's lists is not set: the engine's defaults (an
 * nginx's upstream of every linked node, an LVS's linked real servers, a gateway's route /), so
 * the list editor starts from what really applies.
 */
final class ImpliedLists {
    private ImpliedLists() {
    }

    /** The default of the node's top-level list {@code component}, or null when it has none worth showing. */
    static List<Record> of(Scenario scenario, NodeSpec node, String component) {
        List<String> linked = scenario.downstreamOf(node.id()).stream().map(NodeSpec::id).toList();
        List<? extends Record> out = null;
        if (node.config() instanceof NginxConfig c) {
            if (component.equals("upstreams")) {
                out = NginxConfig.defaultUpstreams(node.id(), linked);
            } else if (component.equals("locations")) {
                String first = c.upstreams() == null ? node.id() : c.upstreams().isEmpty() ? null : c.upstreams().get(0).name();
                out = first == null ? null : NginxConfig.defaultLocations(first);
            }
        } else if (node.config() instanceof LvsConfig && component.equals("realServers")) {
            out = LvsConfig.defaultRealServers(linked);
        } else if (node.config() instanceof GatewayConfig && component.equals("routes")) {
            out = GatewayConfig.defaultRoutes(node.id());
        }
        return out == null ? null : List.copyOf(out);
    }
}
