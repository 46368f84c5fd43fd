package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.canvas.LayeredLayout;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import org.junit.jupiter.api.Test;

/**
 * Link labels never cover a card: the library's dense default scenario and a 20-node layered
 * topology, fitted into the canvas at the sizes the window gives it, and at 100 %. Geometry only:
 * cards are laid out as the editor's canvas does (position times zoom plus pan), labels are as
 * big as the live view's pills.
 */
class LinkLabelPlacementTest {
    /** A card in canvas units: NodeCard is 250 wide, 95 to 120 tall (an HA member's caption adds a line). */
    private static final double CARD_WIDTH = 250;
    private static final double CARD_HEIGHT = 120;
    /** The widest pill ("123 conn · 1234 req/s" at 10 px), in screen pixels at any zoom. */
    private static final double LABEL_WIDTH = 124;
    private static final double LABEL_HEIGHT = 16;
    private static final double BADGE_HEIGHT = 22;
    private static final double FIT_MARGIN = 40;

    /** A topology as the canvas shows it: the cards' boxes and the links between their borders. */
    private record View(Map<String, Bounds> cards, List<LinkLabelPlacement.Request> labels, List<Bounds> badges, Bounds area) {
    }

    private static View fitted(Scenario scenario, List<LinkSpec> links, double width, double height, Double fixedZoom) {
        Map<String, Position> at = LayeredLayout.positions(scenario);
        double minX = at.values().stream().mapToDouble(Position::x).min().orElse(0);
        double minY = at.values().stream().mapToDouble(Position::y).min().orElse(0);
        double maxX = at.values().stream().mapToDouble(Position::x).max().orElse(0) + CARD_WIDTH;
        double maxY = at.values().stream().mapToDouble(Position::y).max().orElse(0) + CARD_HEIGHT;
        double zoom = fixedZoom != null ? fixedZoom
                : Math.max(0.1, Math.min(1, Math.min((width - 2 * FIT_MARGIN) / (maxX - minX), (height - 2 * FIT_MARGIN) / (maxY - minY))));
        double panX = (width - (maxX - minX) * zoom) / 2 - minX * zoom;
        double panY = (height - (maxY - minY) * zoom) / 2 - minY * zoom;
        Map<String, Bounds> cards = new LinkedHashMap<>();
        List<Bounds> badges = new ArrayList<>();
        at.forEach((id, p) -> {
            Bounds card = new BoundingBox(p.x() * zoom + panX, p.y() * zoom + panY, CARD_WIDTH * zoom, CARD_HEIGHT * zoom);
            cards.put(id, card);
            badges.add(new BoundingBox(card.getMinX(), card.getMinY() - BADGE_HEIGHT, Math.max(70, card.getWidth()), BADGE_HEIGHT - 2));
        });
        List<LinkLabelPlacement.Request> labels = new ArrayList<>();
        for (LinkSpec l : links) {
            Bounds a = cards.get(l.from());
            Bounds b = cards.get(l.to());
            Point2D start = TopologyViewGeometry.borderPoint(a, TopologyViewGeometry.center(a), TopologyViewGeometry.center(b));
            Point2D end = TopologyViewGeometry.borderPoint(b, TopologyViewGeometry.center(b), TopologyViewGeometry.center(a));
            labels.add(new LinkLabelPlacement.Request(l.from() + "->" + l.to(), start, end, LABEL_WIDTH, LABEL_HEIGHT));
        }
        return new View(cards, labels, badges, new BoundingBox(0, 0, width, height));
    }

    private static List<LinkLabelPlacement.Placed> place(View v) {
        return LinkLabelPlacement.place(v.labels(), List.copyOf(v.cards().values()), v.badges(), v.area());
    }

    private static void assertNoLabelOnACard(View v, List<LinkLabelPlacement.Placed> placed, String what) {
        assertThat(placed).hasSameSizeAs(v.labels());
        for (LinkLabelPlacement.Placed p : placed) {
            v.cards().forEach((id, card) -> assertThat(LinkLabelPlacement.overlaps(p.box(), card, 0))
                    .as("%s: label of %s at %s covers card %s at %s", what, p.key(), p.box(), id, card).isFalse());
        }
    }

    /** The default scenario's links, plus the client's own link to the VIP (the live view draws that one too). */
    private static List<LinkSpec> defaultLinks(Scenario s) {
        List<LinkSpec> links = new ArrayList<>(s.links());
        links.add(LinkSpec.of("client", "lvs-1"));
        return links;
    }

    @Test
    void defaultScenario_fittedToTheCanvas_noLabelCoversACard() throws Exception {
        Scenario s = ScenarioLibrary.load("default");
        // The canvas's size in the 1280x800 window with the live panels open, then larger ones, then 100 %.
        double[][] canvases = {{680, 340}, {760, 380}, {1000, 500}, {1200, 700}, {1600, 900}};
        for (double[] c : canvases) {
            View v = fitted(s, defaultLinks(s), c[0], c[1], null);
            assertNoLabelOnACard(v, place(v), "default in " + c[0] + "x" + c[1]);
        }
        View actual = fitted(s, defaultLinks(s), 1600, 900, 1.0);
        assertNoLabelOnACard(actual, place(actual), "default at 100%");
    }

    @Test
    void defaultScenario_withRoomEnough_labelsAlsoKeepOffEachOther_andNearTheirLinks() throws Exception {
        Scenario s = ScenarioLibrary.load("default");
        View v = fitted(s, defaultLinks(s), 1600, 900, 1.0);
        List<LinkLabelPlacement.Placed> placed = place(v);
        for (int i = 0; i < placed.size(); i++) {
            for (int j = i + 1; j < placed.size(); j++) {
                assertThat(LinkLabelPlacement.overlaps(placed.get(i).box(), placed.get(j).box(), 0))
                        .as("%s and %s", placed.get(i).key(), placed.get(j).key()).isFalse();
            }
        }
        // The columns are 30 px apart, narrower than a label: labels leave the link, but not by far.
        for (LinkLabelPlacement.Placed p : placed) {
            Point2D near = LinkLabelPlacement.nearestPoint(p.box(), p.anchor());
            assertThat(near.distance(p.anchor())).as("%s from its link", p.key()).isLessThan(110);
        }
    }

    @Test
    void roomBesideTheLink_theLabelSitsJustAboveItsMiddle() {
        List<Bounds> cards = List.of(new BoundingBox(0, 0, 250, 100), new BoundingBox(600, 0, 250, 100));
        LinkLabelPlacement.Request r = new LinkLabelPlacement.Request("a->b", new Point2D(250, 50), new Point2D(600, 50), 120, 16);
        LinkLabelPlacement.Placed p = LinkLabelPlacement.place(List.of(r), cards, List.of(), null).get(0);
        assertThat(p.box().getMinX() + p.box().getWidth() / 2).isEqualTo(425.0);
        assertThat(p.box().getMaxY()).isEqualTo(50 - LinkLabelPlacement.LANE_CLEARANCE);
        assertThat(p.detached()).isFalse();
        // A second label for the same link (the other direction) does not land on the first.
        LinkLabelPlacement.Request back = new LinkLabelPlacement.Request("b->a", new Point2D(600, 50), new Point2D(250, 50), 120, 16);
        List<LinkLabelPlacement.Placed> both = LinkLabelPlacement.place(List.of(r, back), cards, List.of(), null);
        assertThat(LinkLabelPlacement.overlaps(both.get(0).box(), both.get(1).box(), 0)).isFalse();
    }

    @Test
    void twentyNodes_layered_fittedAndAtFullSize_noLabelCoversACard() {
        // client -> dns -> 2 LVS -> 4 Nginx -> 2 gateways -> 10 Tomcats, every layer linked to the next
        // (crossing links everywhere), laid out by the editor's layered layout.
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        String[][] layers = {{"client"}, {"dns"}, {"lvs-1", "lvs-2"}, {"nginx-1", "nginx-2", "nginx-3", "nginx-4"},
                {"gateway-1", "gateway-2"}, tomcats(10)};
        NodeKind[] kinds = {NodeKind.CLIENT, NodeKind.DNS, NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT};
        for (int layer = 0; layer < layers.length; layer++) {
            for (String id : layers[layer]) {
                nodes.add(NodeSpec.of(id, kinds[layer]));
                if (layer > 0) {
                    for (String from : layers[layer - 1]) {
                        links.add(LinkSpec.of(from, id));
                    }
                }
            }
        }
        Scenario s = new Scenario(Scenario.FORMAT, "twenty", null, nodes, links, null, null);
        assertThat(s.nodes()).hasSize(20);
        double[][] canvases = {{760, 380}, {1200, 700}, {1600, 900}};
        for (double[] c : canvases) {
            View v = fitted(s, links, c[0], c[1], null);
            assertNoLabelOnACard(v, place(v), "20 nodes in " + c[0] + "x" + c[1]);
        }
        View actual = fitted(s, links, 1600, 900, 1.0);
        assertNoLabelOnACard(actual, place(actual), "20 nodes at 100%");
    }

    @Test
    void noRoomAnywhereNearby_theLabelGoesBeyondTheCards_stillOnNone() {
        // A wall of cards edge to edge, the link inside it: no gap to use.
        List<Bounds> wall = new ArrayList<>();
        for (int x = 0; x < 10; x++) {
            for (int y = 0; y < 10; y++) {
                wall.add(new BoundingBox(x * 50, y * 50, 50, 50));
            }
        }
        LinkLabelPlacement.Request r = new LinkLabelPlacement.Request("l", new Point2D(200, 200), new Point2D(300, 200), 120, 16);
        LinkLabelPlacement.Placed p = LinkLabelPlacement.place(List.of(r), wall, List.of(), new BoundingBox(0, 0, 500, 500)).get(0);
        for (Bounds card : wall) {
            assertThat(LinkLabelPlacement.overlaps(p.box(), card, 0)).isFalse();
        }
        assertThat(p.detached()).isTrue();
    }

    private static String[] tomcats(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "tomcat-" + (i + 1);
        }
        return out;
    }
}
