package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * One node of a topology. {@code config}'s type follows {@code kind}. {@code address} fixes a
 * "host:port" (a port of 0 or no address: chosen automatically).
 */
@JsonPropertyOrder({"id", "kind", "label", "position", "address", "config"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeSpec(
        String id,
        NodeKind kind,
        String label,
        Position position,
        String address,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = UnsetConfigFilter.class)
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "kind", visible = true)
        @JsonSubTypes({
            @JsonSubTypes.Type(value = ClientConfig.class, name = "client"),
            @JsonSubTypes.Type(value = DnsConfig.class, name = "dns"),
            @JsonSubTypes.Type(value = RouterConfig.class, name = "router"),
            @JsonSubTypes.Type(value = LvsConfig.class, name = "lvs"),
            @JsonSubTypes.Type(value = NginxConfig.class, name = "nginx"),
            @JsonSubTypes.Type(value = GatewayConfig.class, name = "gateway"),
            @JsonSubTypes.Type(value = TomcatConfig.class, name = "tomcat"),
            @JsonSubTypes.Type(value = ExternalConfig.class, name = "external")
        })
        NodeConfig config) {

    public NodeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (config == null) {
            config = NodeConfig.defaultsFor(kind);
        }
        if (config.kind() != kind) {
            throw new IllegalArgumentException("config of node '" + id + "' is for " + config.kind().id() + ", not " + kind.id());
        }
    }

    public static NodeSpec of(String id, NodeKind kind) {
        return new NodeSpec(id, kind, null, null, null, null);
    }

    public String displayLabel() {
        return label != null && !label.isBlank() ? label : id;
    }

    public NodeSpec withConfig(NodeConfig value) {
        return new NodeSpec(id, kind, label, position, address, value);
    }

    public NodeSpec withPosition(Position value) {
        return new NodeSpec(id, kind, label, value, address, config);
    }

    public NodeSpec withAddress(String value) {
        return new NodeSpec(id, kind, label, position, value, config);
    }

    @SuppressWarnings("unchecked")
    public <C extends NodeConfig> C configAs(Class<C> type) {
        return (C) config;
    }

    /** Leaves out a config with nothing set, so a file without "config" saves without it. */
    static final class UnsetConfigFilter {
        @Override
        public boolean equals(Object value) {
            return value instanceof NodeConfig c && c.equals(NodeConfig.defaultsFor(c.kind()));
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
