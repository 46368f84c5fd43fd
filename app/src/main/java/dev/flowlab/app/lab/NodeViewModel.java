package dev.flowlab.app.lab;

import dev.flowlab.metrics.NodeSnapshot;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.runtime.NodeView;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One node as the topology view shows it: what the scenario says (id, kind, label) and what the
 * running lab reports (state, address, requests/s, open connections, p99). Updated only on the UI
 * thread, by {@link LabViewModel}.
 */
public final class NodeViewModel {
    private NodeSpec spec;
    private final ReadOnlyStringWrapper label = new ReadOnlyStringWrapper(this, "label");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", NodeState.STOPPED.id());
    private final ReadOnlyStringWrapper address = new ReadOnlyStringWrapper(this, "address");
    private final ReadOnlyDoubleWrapper rps = new ReadOnlyDoubleWrapper(this, "rps");
    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper(this, "connections");
    /** A layer-4 director's packets forwarded toward the real servers per second (modelled from the bytes). */
    private final ReadOnlyDoubleWrapper packetsIn = new ReadOnlyDoubleWrapper(this, "packetsIn");
    private final ReadOnlyDoubleWrapper p99Millis = new ReadOnlyDoubleWrapper(this, "p99Millis");
    /** What bounds this node's capacity, measured: "workers 12/200 · 3 waiting", "upstream 8 conn"; empty when the kind reports none. */
    private final ReadOnlyStringWrapper capacity = new ReadOnlyStringWrapper(this, "capacity", "");
    /** How full the node's tightest limit is (busy workers of maxThreads, connections of maxConnections), 0..1+; 0 when it has none. */
    private double saturation;
    /** Whether this node is the running topology's bottleneck (set by {@link LabViewModel#refresh()}). */
    private final ReadOnlyBooleanWrapper bottleneck = new ReadOnlyBooleanWrapper(this, "bottleneck");

    public NodeViewModel(NodeSpec spec) {
        this.spec = spec;
        label.set(spec.displayLabel());
    }

    /** The scenario was edited: same node id, maybe a new label or config. */
    void respec(NodeSpec edited) {
        this.spec = edited;
        label.set(edited.displayLabel());
    }

    public NodeSpec spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    public NodeKind kind() {
        return spec.kind();
    }

    public String label() {
        return label.get();
    }

    public ReadOnlyStringProperty labelProperty() {
        return label.getReadOnlyProperty();
    }

    /** The node's lifecycle state, lower case as in the engine's outputs ("running", "stopped", "failed"...). */
    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    public String getState() {
        return state.get();
    }

    /** "host:port" once the lab has placed the node, else null. */
    public ReadOnlyStringProperty addressProperty() {
        return address.getReadOnlyProperty();
    }

    public String getAddress() {
        return address.get();
    }

    public ReadOnlyDoubleProperty rpsProperty() {
        return rps.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty packetsInProperty() {
        return packetsIn.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty connectionsProperty() {
        return connections.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty p99MillisProperty() {
        return p99Millis.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty capacityProperty() {
        return capacity.getReadOnlyProperty();
    }

    public String getCapacity() {
        return capacity.get();
    }

    public ReadOnlyBooleanProperty bottleneckProperty() {
        return bottleneck.getReadOnlyProperty();
    }

    public boolean isBottleneck() {
        return bottleneck.get();
    }

    void setBottleneck(boolean b) {
        bottleneck.set(b);
    }

    /** How full the node's tightest measured limit is: above 1 when requests wait for a worker. */
    public double saturation() {
        return saturation;
    }

    public void show(NodeView view, NodeSnapshot figures) {
        state.set(view.state().id());
        address.set(view.address());
        if (figures != null) {
            // a layer-4 director answers no requests: its rate is new connections per second (IPVS's CPS)
            rps.set(spec.kind() == NodeKind.LVS ? figures.connectionsPerSecond() : figures.rps());
            packetsIn.set(figures.packetsInPerSecond());
            connections.set(figures.activeConnections());
            p99Millis.set(figures.p99Ms());
            saturation = saturationOf(figures);
            capacity.set(capacityOf(figures));
        }
    }

    /**
     * The capacity line of a card, from the node's measured gauges: a Tomcat's busy workers of
     * maxThreads (and the requests waiting for one), a proxy's connections to its upstreams.
     */
    static String capacityOf(NodeSnapshot s) {
        StringBuilder b = new StringBuilder();
        int busy = s.gauge("busy_workers");
        int max = s.gauge("max_threads");
        if (busy >= 0 && max > 0) {
            b.append("workers\u00a0").append(busy).append('/').append(max);
            int waiting = s.gauge("waiting_for_worker");
            if (waiting > 0) {
                b.append("   ").append(waiting).append("\u00a0waiting");
            }
        }
        int hashed = s.gauge("flows_hashed");
        if (hashed >= 0) {
            b.append("flows\u00a0").append(hashed).append("   re-hashed\u00a0").append(Math.max(0, s.gauge("flows_rehashed")));
        }
        int survived = s.gauge("moved_survived");
        int broken = s.gauge("moved_broken");
        if (survived + broken > 0) {
            b.append(b.isEmpty() ? "" : "   ").append("moved:\u00a0").append(survived).append("\u00a0survived   ")
                    .append(broken).append("\u00a0broke");
        }
        int upstream = s.gauge("upstream_connections");
        if (upstream >= 0) {
            b.append(b.isEmpty() ? "" : "   ").append("upstream\u00a0").append(upstream).append("\u00a0conn");
        }
        return b.toString();
    }

    /** Busy workers of maxThreads, or connections of maxConnections, whichever is fuller; a queue for workers counts as full. */
    static double saturationOf(NodeSnapshot s) {
        double worst = 0;
        int max = s.gauge("max_threads");
        if (max > 0) {
            worst = Math.max(worst, (double) Math.max(0, s.gauge("busy_workers")) / max);
            if (s.gauge("waiting_for_worker") > 0) {
                worst = Math.max(worst, 1 + (double) s.gauge("waiting_for_worker") / max);
            }
        }
        int maxConnections = s.gauge("max_connections");
        if (maxConnections > 0) {
            worst = Math.max(worst, (double) Math.max(0, s.gauge("connections")) / maxConnections);
        }
        return worst;
    }

    /** The lab is gone: the node is down, its address released, its figures idle. */
    void showDown(NodeState downState) {
        state.set(downState.id());
        address.set(null);
        rps.set(0);
        packetsIn.set(0);
        connections.set(0);
        p99Millis.set(0);
        saturation = 0;
        capacity.set("");
        bottleneck.set(false);
    }
}
