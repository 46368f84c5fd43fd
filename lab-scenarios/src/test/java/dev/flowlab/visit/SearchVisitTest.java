package dev.flowlab.visit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.explain.VisitStory;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.stack.Stack;
import org.junit.jupiter.api.Test;

class SearchVisitTest {
    @Test
    void dump() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            Browser b = Browser.forLab(lab);
            for (int i = 0; i < 3; i++) {
                Visit v = b.search("phone");
                System.out.println(VisitStory.of(v).text());
            }
        }
    }
}
