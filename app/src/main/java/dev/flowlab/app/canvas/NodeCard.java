package dev.flowlab.app.canvas;

import dev.flowlab.app.lab.NodeViewModel;
import dev.flowlab.topology.TopologyProblem;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A node drawn on the canvas: kind icon, label, kind, address, a state badge and its live
 * figures; a port on its right edge to drag links from; a problem badge when the engine's checks
 * find something. Only binds to its {@link NodeViewModel}; the look comes from app.css through
 * the style classes {@code node-card}, {@code kind-<kind>} and pseudo-classes for the state
 * ({@code :running}, {@code :stopped}, {@code :failed}...), {@code :selected} and
 * {@code :problem}/{@code :warning}; a member of an HA group gets the style class {@code ha-member}
 * and a "VRRP &lt;group id&gt;" caption. Its id is {@code node-<node id>}, its port's {@code port-<node id>}.
 */
public final class NodeCard extends VBox {
    public static final String STYLE_CLASS = "node-card";
    public static final String HA_MEMBER = "ha-member";
    /** The running topology's fullest node (pseudo-class {@code :bottleneck}). */
    private static final PseudoClass BOTTLENECK = PseudoClass.getPseudoClass("bottleneck");
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass PROBLEM = PseudoClass.getPseudoClass("problem");
    private static final PseudoClass WARNING = PseudoClass.getPseudoClass("warning");
    static final double PORT_RADIUS = 6;

    private final NodeViewModel node;
    private final Circle port = new Circle(PORT_RADIUS);
    private final Label problemBadge = new Label();
    /** "VRRP nginx-ha" under the address of an HA group's member; hidden (and taking no room) otherwise. */
    private final Label haCaption = new Label();
    /** Created on first need: a tooltip per card would double the cost of opening a big topology. */
    private Tooltip problemTip;
    private PseudoClass shownState;

    public NodeCard(NodeViewModel node) {
        this.node = node;
        setId("node-" + node.id());
        getStyleClass().addAll(STYLE_CLASS, "kind-" + node.kind().id());

        FontIcon icon = new FontIcon(KindIcons.of(node.kind()));
        icon.getStyleClass().add("kind-icon");
        Label kind = styled(new Label(node.kind().displayName()), "node-kind");
        Label label = styled(new Label(), "node-label");
        label.textProperty().bind(node.labelProperty());
        VBox names = new VBox(kind, label);
        names.setMinWidth(0);
        names.getStyleClass().add("node-names");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label badge = styled(new Label(), "state-badge");
        badge.textProperty().bind(node.stateProperty());
        // The state must always read in full; the names give way instead.
        badge.setMinWidth(Region.USE_PREF_SIZE);
        HBox header = new HBox(icon, names, spacer, badge);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("node-header");

        Label address = styled(new Label(), "node-address");
        address.textProperty().bind(Bindings.createStringBinding(
                () -> node.id() + " · " + describeAddress(node.getAddress()), node.addressProperty()));

        // One label for the three figures: a card per node, a hundred nodes, so every node in a card counts.
        Label stats = styled(new Label(), "node-stats");
        stats.getStyleClass().add("stat");
        // While the lab runs, the live badge above the card carries these same figures (a director's
        // badge fewer: its packets stay on the card); zoomed out the card then drops them and stays short.
        if (node.kind() != dev.flowlab.topology.NodeKind.LVS) {
            stats.getStyleClass().add("badge-repeats");
        }
        stats.managedProperty().bind(stats.visibleProperty());
        // Live figures change ten times a second: applied in turn with every other label's (FigureUpdates).
        boolean director = node.kind() == dev.flowlab.topology.NodeKind.LVS;
        Runnable showFigures = director
                ? () -> stats.setText(directorFigures(node.rpsProperty().get(), node.packetsInProperty().get(), node.connectionsProperty().get()))
                : () -> stats.setText(figures(node.rpsProperty().get(), node.connectionsProperty().get(), node.p99MillisProperty().get()));
        if (director) {
            Tooltip.install(stats, new Tooltip("New connections per second (measured), packets forwarded toward the real servers per "
                    + "second (modelled from the bytes: 1,448-byte segments, a delayed ACK per two, the handshake and close), "
                    + "and the sockets this director holds (measured: 0 in DR, where the connection is handed over)."));
        }
        String published = publishedFigures(node.kind());
        if (published != null) {
            Tooltip.install(header, new Tooltip(published));
        }
        showFigures.run();
        javafx.beans.InvalidationListener figuresChanged = o -> dev.flowlab.app.FigureUpdates.shared().submit(stats, showFigures);
        node.rpsProperty().addListener(figuresChanged);
        node.connectionsProperty().addListener(figuresChanged);
        node.packetsInProperty().addListener(figuresChanged);
        node.p99MillisProperty().addListener(figuresChanged);

        // What bounds the node (Tomcat's workers of maxThreads, a proxy's upstream connections): shown
        // once the lab reports it, and loud on the running topology's bottleneck.
        Label capacity = styled(new Label(), "node-capacity");
        capacity.getStyleClass().add("stat");
        capacity.setVisible(false);
        capacity.managedProperty().bind(capacity.visibleProperty());
        Tooltip.install(capacity, CapacityTip.INSTANCE);
        Runnable showCapacity = () -> {
            String text = node.getCapacity();
            capacity.setText(node.isBottleneck() && !text.isEmpty() ? "bottleneck · " + text : text);
            capacity.setVisible(!text.isEmpty());
        };
        javafx.beans.InvalidationListener capacityChanged = o -> dev.flowlab.app.FigureUpdates.shared().submit(capacity, showCapacity);
        node.capacityProperty().addListener(capacityChanged);
        node.bottleneckProperty().addListener(capacityChanged);
        pseudoClassStateChanged(BOTTLENECK, node.isBottleneck());
        node.bottleneckProperty().addListener((obs, was, now) -> pseudoClassStateChanged(BOTTLENECK, now));

        port.setId("port-" + node.id());
        port.getStyleClass().add("port");
        port.setManaged(false);
        Tooltip.install(port, PortTip.INSTANCE);
        problemBadge.getStyleClass().add("problem-badge");
        problemBadge.setManaged(false);
        problemBadge.setVisible(false);

        haCaption.getStyleClass().add("ha-caption");
        haCaption.setVisible(false);
        haCaption.managedProperty().bind(haCaption.visibleProperty());

        // Zoomed out the canvas's :compact style hides the kind, the address and the state (the
        // live badge says it): they then take no room either.
        for (Label detail : new Label[] {kind, address, badge}) {
            detail.managedProperty().bind(detail.visibleProperty());
        }
        getChildren().addAll(header, address, haCaption, stats, capacity, port, problemBadge);
        // Rendered once into a bitmap and blitted until it changes: the live view's particle layer
        // repaints the canvas area every frame, and with software rendering re-rasterising every
        // card (rounded shapes, text, the drop shadow) under it would cost most of each frame.
        setCache(true);
        showState(node.getState());
        node.stateProperty().addListener((obs, was, now) -> showState(now));
    }

    /**
     * What one real box of this kind is documented to carry (published figures, with their
     * sources), next to which the card's live figures are what the lab measures here; null for
     * kinds without one. A router fronts a Maglev fleet: the Maglev machine's figure.
     */
    static String publishedFigures(dev.flowlab.topology.NodeKind kind) {
        String key = switch (kind) {
            case LVS -> "lvs";
            case NGINX -> "nginx";
            case ROUTER -> "maglev";
            default -> null;
        };
        if (key == null) {
            return null;
        }
        StringBuilder b = new StringBuilder("One real box (published figures):\n");
        for (dev.flowlab.scale.PublishedFigures.Figure f : dev.flowlab.scale.PublishedFigures.of(key)) {
            b.append("• ").append(f.line()).append('\n');
        }
        b.append("The figures on this card are what the lab measures on this machine (one JVM, loopback). "
                + "Size a fleet: ./lab fleet --gbps N --connections M");
        return b.toString();
    }

    /** One tooltip shared by every capacity line. */
    private static final class CapacityTip {
        static final Tooltip INSTANCE = new Tooltip("What bounds this node, measured now: a Tomcat's busy workers of "
                + "maxThreads and the requests waiting for one; a proxy's open connections to its upstreams. The fullest "
                + "node (at least 80 % of a limit) is marked as the bottleneck.");
    }

    /** One tooltip shared by every port. */
    private static final class PortTip {
        static final Tooltip INSTANCE = new Tooltip("Drag to another node to link them");
    }

    public NodeViewModel node() {
        return node;
    }

    public Circle port() {
        return port;
    }

    public Label problemBadge() {
        return problemBadge;
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        port.setCenterX(getWidth());
        port.setCenterY(getHeight() / 2);
        problemBadge.autosize();
        problemBadge.relocate(-problemBadge.getWidth() / 2, -problemBadge.getHeight() / 2);
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(SELECTED, selected);
    }

    public Label haCaption() {
        return haCaption;
    }

    /** Marks the card as a member of HA group {@code groupId} (style class {@code ha-member}), or as none when null. */
    void showHaGroup(String groupId) {
        boolean member = groupId != null;
        if (member != getStyleClass().contains(HA_MEMBER)) {
            if (member) {
                getStyleClass().add(HA_MEMBER);
            } else {
                getStyleClass().remove(HA_MEMBER);
            }
        }
        haCaption.setText(member ? "VRRP " + groupId : "");
        haCaption.setVisible(member);
    }

    /** Shows the engine's findings on this node (an empty list hides the badge). */
    void showProblems(List<TopologyProblem> problems) {
        boolean errors = problems.stream().anyMatch(TopologyProblem::isError);
        pseudoClassStateChanged(PROBLEM, errors);
        pseudoClassStateChanged(WARNING, !errors && !problems.isEmpty());
        problemBadge.setVisible(!problems.isEmpty());
        problemBadge.setText(problems.isEmpty() ? "" : errors ? "!" : "?");
        if (!problems.isEmpty()) {
            if (problemTip == null) {
                problemTip = new Tooltip();
                problemBadge.setTooltip(problemTip);
            }
            problemTip.setText(problems.stream().map(TopologyProblem::message).collect(Collectors.joining("\n")));
        }
    }

    /**
     * A layer-4 director's figures: it answers no request, so connections and packets, the packets
     * marked modelled. Each figure holds together with no-break spaces: a compact card wraps
     * between figures, never inside one.
     */
    static String directorFigures(double connectionsPerSecond, double packetsInPerSecond, int sockets) {
        return String.format(Locale.ROOT, connectionsPerSecond >= 100 ? "%.0f\u00a0conn/s" : "%.1f\u00a0conn/s", connectionsPerSecond)
                + String.format(Locale.ROOT, "   ≈%.0f\u00a0pkt/s\u00a0in", packetsInPerSecond)
                + "   " + sockets + "\u00a0sockets";
    }

    static String figures(double rps, int connections, double p99Millis) {
        return String.format(Locale.ROOT, rps >= 100 ? "%.0f\u00a0req/s" : "%.1f\u00a0req/s", rps)
                + "   " + connections + "\u00a0conn   "
                + String.format(Locale.ROOT, p99Millis >= 100 ? "p99\u00a0%.0f\u00a0ms" : "p99\u00a0%.1f\u00a0ms", p99Millis);
    }

    /** A client has no listening port: the planned "host:0" is where its connections come from. */
    static String describeAddress(String hostPort) {
        if (hostPort == null) {
            return "not bound";
        }
        return hostPort.endsWith(":0") ? "from " + hostPort.substring(0, hostPort.length() - 2) : hostPort;
    }

    private void showState(String state) {
        if (shownState != null) {
            pseudoClassStateChanged(shownState, false);
        }
        shownState = state == null ? null : PseudoClass.getPseudoClass(state);
        if (shownState != null) {
            pseudoClassStateChanged(shownState, true);
        }
    }

    private static Label styled(Label l, String styleClass) {
        l.getStyleClass().add(styleClass);
        return l;
    }
}
