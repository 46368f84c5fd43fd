package dev.flowlab.app.canvas;

import static dev.flowlab.app.canvas.LayeredLayout.COLUMN_WIDTH;
import static dev.flowlab.app.canvas.LayeredLayout.MARGIN;
import static dev.flowlab.app.canvas.LayeredLayout.ROW_HEIGHT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayeredLayoutTest {
    private static Scenario scenario(List<NodeSpec> nodes, List<LinkSpec> links) {
        return new Scenario(Scenario.FORMAT, "t", null, nodes, links, null, null);
    }

    @Test
    void nodesWithoutPosition_goInColumnsByLinkDepthFromTheClients() {
        Scenario s = scenario(
                List.of(NodeSpec.of("tomcat-2", NodeKind.TOMCAT), NodeSpec.of("nginx", NodeKind.NGINX),
                        NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "nginx"), LinkSpec.of("nginx", "tomcat-1"),
                        LinkSpec.of("nginx", "tomcat-2"), LinkSpec.of("tomcat-2", "nginx")));

        Map<String, Position> p = LayeredLayout.positions(s);

        assertThat(p.get("client")).isEqualTo(new Position(MARGIN, MARGIN));
        assertThat(p.get("nginx")).isEqualTo(new Position(MARGIN + COLUMN_WIDTH, MARGIN));
        assertThat(p.get("tomcat-2")).isEqualTo(new Position(MARGIN + 2 * COLUMN_WIDTH, MARGIN));
        assertThat(p.get("tomcat-1")).isEqualTo(new Position(MARGIN + 2 * COLUMN_WIDTH, MARGIN + ROW_HEIGHT));
    }

    @Test
    void aPositionFromTheScenario_isKept_andUnreachedNodesGoAfterTheDeepest() {
        Scenario s = scenario(
                List.of(NodeSpec.of("client", NodeKind.CLIENT).withPosition(new Position(500, 300)),
                        NodeSpec.of("tomcat-1", NodeKind.TOMCAT), NodeSpec.of("lonely", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "tomcat-1")));

        Map<String, Position> p = LayeredLayout.positions(s);

        assertThat(p.get("client")).isEqualTo(new Position(500, 300));
        assertThat(p.get("tomcat-1")).isEqualTo(new Position(MARGIN + COLUMN_WIDTH, MARGIN));
        assertThat(p.get("lonely")).isEqualTo(new Position(MARGIN + 2 * COLUMN_WIDTH, MARGIN));
    }
}
