package dev.flowlab.cli;

import dev.flowlab.event.LabEvent;
import dev.flowlab.record.RecordedFault;
import dev.flowlab.record.Recording;
import dev.flowlab.record.RecordingException;
import dev.flowlab.record.RecordingReader;
import dev.flowlab.run.RunReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `lab replay FILE`: reads a recording (`lab run --record`) back, without starting anything. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Read a recording made by `lab run --record FILE` (or the app's Record): say what it holds, "
                + "print the run's report as the run printed it (--report), or list its events (--events). "
                + "Nothing starts: no server, no traffic.")
final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .flowrec recording")
    Path file;

    @Option(names = "--report", description = "Print the run's report, as `lab run` printed it when the run ended")
    boolean report;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the run's JSON report to FILE")
    Path reportJson;

    @Option(names = "--events", description = "List every recorded event (t from the start of the traffic)")
    boolean events;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Recording r;
        try {
            r = RecordingReader.read(file);
        } catch (RecordingException e) {
            err.println("lab replay: " + e.getMessage());
            return LabCli.BAD_INPUT;
        }
        if (r.note() != null) {
            err.println("lab replay: " + file + ": " + r.note());
        }
        if (events) {
            for (LabEvent e : r.events()) {
                out.println(String.format(Locale.ROOT, "%10.3f ms  %-18s %-14s %s", e.nanos() / 1e6, e.type().id(),
                        e.node() == null ? "" : e.node(), e.detail() == null ? "" : e.detail()));
            }
        }
        if (report || reportJson != null) {
            if (r.report().isEmpty()) {
                err.println("lab replay: " + file + " holds no run report (the run did not end, or the app recorded it); "
                        + "it has " + r.events().size() + " events over " + seconds(r.lengthMillis()));
                return LabCli.FAILED;
            }
            RunReport rep = RunReport.fromJson(r.reportJson());
            if (report) {
                out.println(rep.summaryTable());
            }
            if (reportJson != null) {
                ServeCommand.writeAtomically(reportJson, rep.toJson() + "\n");
                out.println("Report written to " + reportJson);
            }
        }
        if (!report && !events && reportJson == null) {
            describe(out, r);
        }
        return LabCli.OK;
    }

    private void describe(PrintWriter out, Recording r) {
        out.println(String.format(Locale.ROOT, "%-14s %s", "recording", file));
        out.println(String.format(Locale.ROOT, "%-14s %s (format %s)", "recorded at", r.recordedAt(), r.version()));
        out.println(String.format(Locale.ROOT, "%-14s %s, %d nodes", "scenario",
                r.scenario().name() == null ? "(unnamed)" : r.scenario().name(), r.scenario().nodes().size()));
        out.println(String.format(Locale.ROOT, "%-14s %s%s", "length", seconds(r.lengthMillis()),
                r.complete() ? "" : " (cut short)"));
        out.println(String.format(Locale.ROOT, "%-14s %d (%d dropped by the bus)", "events", r.events().size(), r.dropped()));
        out.println(String.format(Locale.ROOT, "%-14s %d", "snapshots", r.snapshots().size()));
        out.println(String.format(Locale.ROOT, "%-14s %s", "report", r.report().isPresent() ? "yes (--report)" : "none"));
        out.println(String.format(Locale.ROOT, "%-14s %d", "faults", r.faults().size()));
        for (RecordedFault f : r.faults()) {
            out.println(String.format(Locale.ROOT, "  %8d ms  %s %s%s%s", f.tMs(), f.action(), f.node(),
                    f.params().isEmpty() ? "" : " " + f.params(), f.failure() == null ? "" : " (failed: " + f.failure() + ")"));
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
