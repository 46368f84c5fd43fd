package dev.flowlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ScenarioMigrationsTest {

    @Test
    void stepsRunOneVersionAtATime_inOrder_andStampTheFormat() {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("format", 1).put("servers", "x");
        List<String> ran = new ArrayList<>();
        Map<Integer, Consumer<ObjectNode>> steps = Map.of(
                1, r -> {
                    ran.add("1->2 at format " + r.get("format").intValue());
                    r.set("nodes", r.remove("servers"));
                },
                2, r -> ran.add("2->3 at format " + r.get("format").intValue()));

        ScenarioMigrations.migrate(root, 1, 3, steps);

        assertThat(ran).containsExactly("1->2 at format 1", "2->3 at format 2");
        assertThat(root.get("format").intValue()).isEqualTo(3);
        assertThat(root.get("nodes").textValue()).isEqualTo("x");
    }

    @Test
    void currentFormat_isLeftAlone() {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("format", 1);

        ScenarioMigrations.migrate(root, 1);

        assertThat(root.toString()).isEqualTo("{\"format\":1}");
    }

    @Test
    void aMissingStep_isAProgrammingError() {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("format", 1);

        assertThatThrownBy(() -> ScenarioMigrations.migrate(root, 1, 2, Map.of())).hasMessageContaining("no migration from scenario format 1 to 2");
    }
}
