package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javafx.geometry.Bounds;
import javafx.scene.Group;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import org.junit.jupiter.api.Test;

/**
 * The geometry maps each card once and keeps it only while nothing that places the card changed:
 * a move, a resize, a pan or zoom of the content, a new card for the id. Plain nodes, no toolkit.
 */
class TopologyViewGeometryTest {
    private final Pane canvas = new Pane();
    private final Group content = new Group();
    private final Map<String, Region> cards = new HashMap<>();
    private final TopologyViewGeometry geometry = new TopologyViewGeometry(id -> Optional.ofNullable(cards.get(id)), canvas);

    TopologyViewGeometryTest() {
        canvas.getChildren().add(content);
        add("nginx-1", 100, 50);
    }

    private Region add(String id, double x, double y) {
        Region card = new Region();
        card.resizeRelocate(x, y, 160, 60);
        content.getChildren().add(card);
        cards.put(id, card);
        return card;
    }

    private static String box(Bounds b) {
        return b == null ? "none" : String.format(java.util.Locale.ROOT, "%.0f,%.0f %.0fx%.0f", b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight());
    }

    @Test
    void theSameBoxUntilTheCardMoves_thenTheNewOne() {
        Bounds first = geometry.of("nginx-1");
        assertThat(box(first)).isEqualTo("100,50 160x60");
        assertThat(geometry.of("nginx-1")).as("unchanged: the box is kept, not mapped again").isSameAs(first);

        cards.get("nginx-1").relocate(300, 80);
        assertThat(box(geometry.of("nginx-1"))).isEqualTo("300,80 160x60");

        cards.get("nginx-1").resize(200, 70);
        assertThat(box(geometry.of("nginx-1"))).isEqualTo("300,80 200x70");
    }

    @Test
    void panAndZoomOfTheContent_moveEveryBox() {
        assertThat(box(geometry.of("nginx-1"))).isEqualTo("100,50 160x60");
        content.setTranslateX(-40);
        assertThat(box(geometry.of("nginx-1"))).isEqualTo("60,50 160x60");
        content.setScaleX(2);
        content.setScaleY(2);
        // Without a pulse the group's pivot is not what a window would show; what matters is
        // that the kept box is the one mapping it afresh gives.
        Region card = cards.get("nginx-1");
        assertThat(box(geometry.of("nginx-1"))).isNotEqualTo("60,50 160x60").isEqualTo(box(canvas.sceneToLocal(card.localToScene(card.getBoundsInLocal()))));
    }

    @Test
    void aCardReplacedOrGone_isFollowed() {
        assertThat(box(geometry.of("nginx-1"))).isEqualTo("100,50 160x60");
        content.getChildren().remove(cards.get("nginx-1"));
        assertThat(geometry.mappedCount()).as("a card that left the canvas is no longer listened to").isZero();
        add("nginx-1", 10, 20);
        assertThat(box(geometry.of("nginx-1"))).isEqualTo("10,20 160x60");
        cards.remove("nginx-1");
        assertThat(geometry.of("nginx-1")).isNull();
        assertThat(geometry.of("nope")).isNull();
    }
}
