package dev.flowlab.app.inspect;

import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Param;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyValidator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a field that names other things ({@link Param#refersTo()}) may name, seen from the node
 * whose config holds it: the nodes it may forward to (the link rules' kinds, not itself) and, for
 * an nginx, its upstream blocks (and, as nginx's proxy_pass takes it, a host:port). Offered as
 * suggestions, and a name that is none of these is refused with the reason.
 */
final class References {
    private final Supplier<Scenario> scenario;
    private final String ownerId;

    /** {@code ownerId}: the node whose config this is (null for the scenario's own records). */
    References(Supplier<Scenario> scenario, String ownerId) {
        this.scenario = scenario;
        this.ownerId = ownerId;
    }

    List<String> names(Param param) {
        List<String> out = new ArrayList<>();
        if (refersTo(param, Param.UPSTREAM)) {
            out.addAll(upstreams());
        }
        if (refersTo(param, Param.NODE)) {
            Optional<NodeSpec> owner = owner();
            scenario.get().nodes().stream()
                    .filter(n -> !n.id().equals(ownerId) && owner.map(o -> TopologyValidator.canLink(o.kind(), n.kind())).orElse(true))
                    .map(NodeSpec::id).filter(id -> !out.contains(id)).forEach(out::add);
        }
        return out;
    }

    /** Why {@code value} (a name, or a list of names) cannot be used, or nothing. */
    List<String> check(Param param, Object value) {
        if (param == null || param.refersTo().length == 0 || value == null) {
            return List.of();
        }
        List<?> names = value instanceof List<?> l ? l : List.of(value);
        List<String> out = new ArrayList<>();
        for (Object name : names) {
            String problem = problem(param, name.toString());
            if (problem != null) {
                out.add(problem);
            }
        }
        return out;
    }

    private String problem(Param param, String written) {
        // a proxy_pass may carry a URI part (tomcats/app/): the name is what comes before it
        String name = refersTo(param, Param.UPSTREAM) ? dev.flowlab.topology.NginxLocationSpec.proxyTarget(written).name() : written;
        if (refersTo(param, Param.UPSTREAM) && upstreams().contains(name)) {
            return null;
        }
        Optional<NodeSpec> node = scenario.get().node(name);
        if (refersTo(param, Param.UPSTREAM)) {
            if (node.isPresent()) {
                return kindProblem(node.get());
            }
            // proxy_pass http://host:port: nginx's implicit upstream of one server, as the engine takes it
            // (NginxSite, TopologyValidator: a port 1-65535)
            return TopologyValidator.looksLikeHostPort(name) ? null
                    : "'" + name + "' is neither an upstream of " + ownerId + " nor a node nor a host:port";
        }
        return node.isPresent() ? kindProblem(node.get()) : "no node '" + name + "'";
    }

    private String kindProblem(NodeSpec target) {
        Optional<NodeSpec> owner = owner();
        if (target.id().equals(ownerId)) {
            return "'" + target.id() + "' is this node itself";
        }
        if (owner.isPresent() && !TopologyValidator.canLink(owner.get().kind(), target.kind())) {
            return "'" + target.id() + "' is a " + target.kind().id() + ", which a " + owner.get().kind().id() + " does not forward to";
        }
        return null;
    }

    /** The owner's upstream blocks by name: as written, or the lab's default one named after the node. */
    private List<String> upstreams() {
        Optional<NodeSpec> owner = owner();
        if (owner.isEmpty() || !(owner.get().config() instanceof NginxConfig c)) {
            return List.of();
        }
        if (c.upstreams() == null) {
            return List.of(ownerId);
        }
        return c.upstreams().stream().map(NginxConfig.Upstream::name).filter(n -> n != null && !n.isBlank()).toList();
    }

    private Optional<NodeSpec> owner() {
        return ownerId == null ? Optional.empty() : scenario.get().node(ownerId);
    }

    private static boolean refersTo(Param param, String what) {
        return param != null && Arrays.asList(param.refersTo()).contains(what);
    }
}
