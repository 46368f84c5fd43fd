package dev.flowlab.cli;

import dev.flowlab.scale.FleetSizing;
import dev.flowlab.scale.PublishedFigures;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `lab fleet --gbps N --connections M ...`: how many boxes of each kind a load needs, from published figures. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Size a fleet from published per-box figures (Maglev, LVS, nginx; each with its source): the boxes "
                + "each tier needs for the load, and one more to survive losing one (N+1).",
                "A model on published numbers, not a measurement of this machine."})
final class FleetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--gbps", paramLabel = "N", description = "Bandwidth through the layer-4 tier, in Gbps")
    double gbps;

    @Option(names = "--connections", paramLabel = "M", description = "Concurrent connections (each an LVS table entry)")
    long connections;

    @Option(names = "--cps", paramLabel = "C", description = "New connections per second")
    double cps;

    @Option(names = "--rps", paramLabel = "R", description = "HTTP requests per second reaching nginx")
    double rps;

    @Option(names = "--lvs-memory-gb", paramLabel = "G", defaultValue = "1",
            description = "Memory a director gives its connection table, in GB (default: ${DEFAULT-VALUE})")
    double lvsMemoryGb;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (lvsMemoryGb <= 0) {
            err.println("lab fleet: --lvs-memory-gb must be positive");
            return LabCli.BAD_INPUT;
        }
        List<FleetSizing.Tier> tiers;
        try {
            tiers = FleetSizing.size(new FleetSizing.Load(gbps, connections, cps, rps), lvsMemoryGb);
        } catch (IllegalArgumentException e) {
            err.println("lab fleet: " + e.getMessage());
            return LabCli.BAD_INPUT;
        }
        out.printf("%-8s %8s %10s  %-20s %s%n", "tier", "boxes", "with N+1", "bound by", "how");
        for (FleetSizing.Tier t : tiers) {
            out.printf("%-8s %8d %10d  %-20s %s%n", t.kind(), t.boxes(), t.withSpare(), t.boundBy(), String.join("; ", t.steps()));
        }
        out.println();
        out.println("published figures used (per box, as published):");
        for (PublishedFigures.Figure f : PublishedFigures.all()) {
            out.println("  " + f.line());
        }
        out.println("what the lab measured on this machine (one JVM, loopback): see BENCHMARKS.md; "
                + "no lab figure is used above.");
        return LabCli.OK;
    }
}
