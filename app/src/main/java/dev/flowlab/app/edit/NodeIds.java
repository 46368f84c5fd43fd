package dev.flowlab.app.edit;

import dev.flowlab.topology.Scenario;
import java.util.Set;

/** Fresh node ids in the library's style: "tomcat-1", "tomcat-2"... the lowest number not taken. */
public final class NodeIds {
    private NodeIds() {
    }

    public static String free(Scenario scenario, String prefix) {
        Set<String> taken = Edits.ids(scenario);
        for (int i = 1; ; i++) {
            String id = prefix + "-" + i;
            if (!taken.contains(id)) {
                return id;
            }
        }
    }
}
