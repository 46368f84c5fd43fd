package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of node a topology is built from. Lower case in files and outputs (a contract). */
public enum NodeKind {
    CLIENT("Client", false),
    DNS("DNS", true),
    /** A layer-3 router spreading flows over layer-4 balancers by ECMP (equal-cost multi-path). */
    ROUTER("Router", true),
    LVS("LVS", true),
    NGINX("Nginx", true),
    GATEWAY("Gateway", true),
    TOMCAT("Tomcat", true),
    EXTERNAL("External", false);

    private final String displayName;
    private final boolean server;

    NodeKind(String displayName, boolean server) {
        this.displayName = displayName;
        this.server = server;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String displayName() {
        return displayName;
    }

    /** True when the lab runs a server of its own for this kind (a client generates load; an external node is someone else's server). */
    public boolean isLabServer() {
        return server;
    }

    @JsonCreator
    public static NodeKind fromId(String id) {
        for (NodeKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown node kind '" + id + "' (expected one of "
                + Arrays.stream(values()).map(NodeKind::id).collect(Collectors.joining(", ")) + ")");
    }
}
