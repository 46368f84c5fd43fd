package dev.flowlab.testing;

import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.runtime.LabParts;
import dev.flowlab.runtime.TierFactory;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.NodeKind;

/** The product's parts with one or more kinds run by a test's stub tier: an ordinary per-lab factory, no static state. */
public final class TestLabs {
    private final LabParts parts;

    private TestLabs(LabParts parts) {
        this.parts = parts;
    }

    public static TestLabs with(NodeKind kind, TierFactory factory) {
        return new TestLabs(Stack.parts().withTier(kind, factory));
    }

    public TestLabs and(NodeKind kind, TierFactory factory) {
        return new TestLabs(parts.withTier(kind, factory));
    }

    /** The same parts with this extension attached to each lab (a {@link LabWatch}, say). */
    public TestLabs and(dev.flowlab.runtime.LabExtension.Factory extension) {
        return new TestLabs(parts.withExtension(extension));
    }

    /** The product's own parts. */
    public static TestLabs product() {
        return new TestLabs(Stack.parts());
    }

    public LabParts parts() {
        return parts;
    }

    public Lab lab(Scenario scenario) {
        return new Lab(scenario, LabOptions.defaults(), parts);
    }

    public Lab lab(Scenario scenario, LabOptions options) {
        return new Lab(scenario, options, parts);
    }
}
