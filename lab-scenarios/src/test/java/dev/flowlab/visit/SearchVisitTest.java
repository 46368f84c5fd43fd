package dev.flowlab.visit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.stack.Stack;
import dev.flowlab.trace.TraceHop;
import org.junit.jupiter.api.Test;

class SearchVisitTest {
    @Test
    void dump() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            Browser b = Browser.forLab(lab);
            for (int i = 0; i < 2; i++) {
                Visit v = b.search("phone");
                System.out.println("LOOKUP " + v.lookup().resolved() + " " + v.lookup().hop().facts());
                for (Visit.Fetch f : v.fetches()) {
                    System.out.println("FETCH " + f.path() + " " + f.status() + " " + f.connection() + " reused=" + f.reusedConnection() + " " + f.headers());
                    for (TraceHop h : f.hops()) {
                        System.out.println("  HOP " + h.node() + " " + h.layer() + " " + h.action() + " status=" + h.status());
                        for (var fact : h.facts()) {
                            if (!(fact instanceof dev.flowlab.event.Fact.HeadersSeen)) System.out.println("     " + fact);
                        }
                    }
                }
            }
        }
    }
}
