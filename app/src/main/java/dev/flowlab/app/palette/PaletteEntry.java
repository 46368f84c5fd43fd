package dev.flowlab.app.palette;

import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.edit.ScenarioEdit;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Position;

/** What the palette offers: one entry per node kind, and an HA pair (two Nginx and the keepalived group making them active and standby). */
public enum PaletteEntry {
    CLIENT(NodeKind.CLIENT, "Client", "A load generator: browsers sending the scenario's traffic"),
    DNS(NodeKind.DNS, "DNS", "An authoritative DNS server answering A records for the lab's zone"),
    ROUTER(NodeKind.ROUTER, "Router", "A router spreading flows by ECMP (a hash of the 5-tuple) over the layer-4 balancers it links to; no connection state"),
    LVS(NodeKind.LVS, "LVS", "A layer-4 director (IPVS): NAT or DR, rr/wrr/lc/wlc/sh/mh; behind a router, mh with mh-port and sloppy_tcp is a Maglev balancer"),
    NGINX(NodeKind.NGINX, "Nginx", "A layer-7 reverse proxy: upstream pools, static files, proxy cache"),
    GATEWAY(NodeKind.GATEWAY, "Gateway", "An API gateway: auth, rate limiting, risk control, circuit breaker"),
    TOMCAT(NodeKind.TOMCAT, "Tomcat", "An application server with Tomcat's connector: maxThreads, acceptCount"),
    EXTERNAL(NodeKind.EXTERNAL, "External", "A real server outside the lab, by address"),
    HA_PAIR(NodeKind.NGINX, "HA pair", "Two Nginx nodes and their keepalived group: master (priority 150) and backup (100), one VIP; both start as BACKUP and the master claims the VIP once its master_down_interval has passed");

    /** Vertical distance between the two nodes of a pair, in canvas units. */
    static final double PAIR_SPACING = 150;

    private final NodeKind kind;
    private final String title;
    private final String description;

    PaletteEntry(NodeKind kind, String title, String description) {
        this.kind = kind;
        this.title = title;
        this.description = description;
    }

    public NodeKind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** The id the palette's view gives this entry: "palette-tomcat", "palette-ha-pair". */
    public String viewId() {
        return "palette-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The edit a drop of this entry at {@code at} makes. */
    public ScenarioEdit addAt(Position at) {
        return this == HA_PAIR ? Edits.addPair(kind, at, PAIR_SPACING) : Edits.addNode(kind, at);
    }
}
