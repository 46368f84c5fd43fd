package dev.flowlab.app.canvas;

import dev.flowlab.app.lab.NodeViewModel;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A node drawn on the canvas: kind icon, label, kind, address, a state badge and its live
 * figures. Only binds to its {@link NodeViewModel}; the look comes from app.css through the
 * style classes {@code node-card}, {@code kind-<kind>} and the state pseudo-class
 * ({@code :running}, {@code :stopped}, {@code :failed}...). Its id is {@code node-<node id>}.
 */
public final class NodeCard extends VBox {
    public static final String STYLE_CLASS = "node-card";

    private final NodeViewModel node;
    private PseudoClass shownState;

    public NodeCard(NodeViewModel node) {
        this.node = node;
        setId("node-" + node.id());
        getStyleClass().addAll(STYLE_CLASS, "kind-" + node.kind().id());

        FontIcon icon = new FontIcon(KindIcons.of(node.kind()));
        icon.getStyleClass().add("kind-icon");
        Label kind = styled(new Label(node.kind().displayName()), "node-kind");
        Label label = styled(new Label(node.label()), "node-label");
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

        Label rps = styled(new Label(), "stat");
        rps.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "%.1f req/s", node.rpsProperty().get()), node.rpsProperty()));
        Label connections = styled(new Label(), "stat");
        connections.textProperty().bind(Bindings.createStringBinding(
                () -> node.connectionsProperty().get() + " conn", node.connectionsProperty()));
        Label p99 = styled(new Label(), "stat");
        p99.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "p99 %.1f ms", node.p99MillisProperty().get()), node.p99MillisProperty()));
        HBox stats = new HBox(rps, connections, p99);
        stats.getStyleClass().add("node-stats");

        getChildren().addAll(header, address, stats);
        showState(node.getState());
        node.stateProperty().addListener((obs, was, now) -> showState(now));
    }

    public NodeViewModel node() {
        return node;
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
