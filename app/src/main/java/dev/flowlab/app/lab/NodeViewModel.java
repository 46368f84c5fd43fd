package dev.flowlab.app.lab;

import dev.flowlab.metrics.NodeSnapshot;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.runtime.NodeView;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
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

    public void show(NodeView view, NodeSnapshot figures) {
        state.set(view.state().id());
        address.set(view.address());
        if (figures != null) {
            // a layer-4 director answers no requests: its rate is new connections per second (IPVS's CPS)
            rps.set(spec.kind() == NodeKind.LVS ? figures.connectionsPerSecond() : figures.rps());
            packetsIn.set(figures.packetsInPerSecond());
            connections.set(figures.activeConnections());
            p99Millis.set(figures.p99Ms());
        }
    }

    /** The lab is gone: the node is down, its address released, its figures idle. */
    void showDown(NodeState downState) {
        state.set(downState.id());
        address.set(null);
        rps.set(0);
        packetsIn.set(0);
        connections.set(0);
        p99Millis.set(0);
    }
}
