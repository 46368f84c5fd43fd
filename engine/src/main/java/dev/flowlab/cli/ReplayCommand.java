package dev.flowlab.cli;

import dev.flowlab.event.LabEvent;
import dev.flowlab.record.RecordedFault;
import dev.flowlab.record.Recording;
import dev.flowlab.record.RecordingException;
import dev.flowlab.record.RecordingReader;
import dev.flowlab.record.ReplayExporter;
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
                + "print the run's report as the run printed it (--report), list its events (--events), "
                + "or render it to a GIF, MP4, PNG or SVG without a display (--out). Nothing starts: no server, no traffic.")
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

    @Option(names = "--out", paramLabel = "FILE", description = "Render the replay to FILE, without a display: .gif or .mp4 "
            + "(the range --from..--to), .png or .svg (the picture at --from). Needs the desktop app's classes (./lab has them); "
            + ".mp4 needs ffmpeg")
    Path out;

    @Option(names = "--from", paramLabel = "TIME", converter = RunCommand.DurationConverter.class, defaultValue = "0s",
            description = "Where --out starts, from the start of the traffic (default: 0s)")
    java.time.Duration from;

    @Option(names = "--to", paramLabel = "TIME", converter = RunCommand.DurationConverter.class,
            description = "Where --out ends (default: the end of the recording)")
    java.time.Duration to;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "10", description = "Frames per second of a .gif or .mp4 (default: 10)")
    int fps;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "0",
            description = "Width of the picture in pixels; the height follows the canvas (default: the canvas's, 1280 wide)")
    int width;

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
                err.println("lab replay: " + file + " holds no run report (the run did not end, or the app recorded it): "
                        + "this one is rebuilt from its " + r.events().size() + " events over " + seconds(r.lengthMillis())
                        + " (the clients' answers and failures; no failover windows or layer-4 footprint)");
            }
            RunReport rep = dev.flowlab.run.EventReport.of(r);
            if (report) {
                out.println(rep.summaryTable());
            }
            if (reportJson != null) {
                ServeCommand.writeAtomically(reportJson, rep.toJson() + "\n");
                out.println("Report written to " + reportJson);
            }
        }
        if (this.out != null) {
            return render(r, out, err);
        }
        if (!report && !events && reportJson == null) {
            describe(out, r);
        }
        return LabCli.OK;
    }

    /** {@code --out}: the app's exporter renders the replay headless; progress every 10 %, then the file. */
    private int render(Recording r, PrintWriter out, PrintWriter err) throws java.io.IOException {
        java.util.Optional<ReplayExporter.Format> format = ReplayExporter.Format.of(this.out);
        if (format.isEmpty()) {
            err.println("lab replay: --out " + this.out + ": the file's extension says what to write: .gif, .mp4, .png or .svg");
            return LabCli.BAD_INPUT;
        }
        long fromMs = from.toMillis();
        long toMs = Math.min(r.lengthMillis(), to == null ? r.lengthMillis() : to.toMillis());
        if (fromMs > r.lengthMillis()) {
            err.println("lab replay: --from " + seconds(fromMs) + " is past the end of the recording (" + seconds(r.lengthMillis()) + ")");
            return LabCli.BAD_INPUT;
        }
        ReplayExporter.Request request;
        try {
            request = new ReplayExporter.Request(this.out.toAbsolutePath(), format.get(), fromMs, toMs, fps, width);
        } catch (IllegalArgumentException e) {
            err.println("lab replay: " + e.getMessage());
            return LabCli.BAD_INPUT;
        }
        java.util.Optional<ReplayExporter> exporter = ReplayExporter.find();
        if (exporter.isEmpty()) {
            err.println("lab replay: --out needs the desktop app's classes to draw the replay (the engine alone has no JavaFX): "
                    + "run it with ./lab, or put flowlab-app.jar and its lib/ on the class path");
            return LabCli.FAILED;
        }
        int total = request.frames();
        out.println(format.get().still()
                ? String.format(Locale.ROOT, "Rendering %s, the replay at %s...", this.out, seconds(fromMs))
                : String.format(Locale.ROOT, "Rendering %s, %s to %s, %d frames at %d fps...", this.out, seconds(fromMs), seconds(toMs),
                        total, fps));
        int[] lastTenth = {0};
        ReplayExporter.Result result = exporter.get().export(r, request, (done, of) -> {
            int tenth = (int) (done * 10L / Math.max(1, of));
            if (tenth > lastTenth[0]) {
                lastTenth[0] = tenth;
                out.println(String.format(Locale.ROOT, "  %3d%%  %d/%d frames", tenth * 10, done, of));
            }
        });
        out.println(String.format(Locale.ROOT, "Wrote %s: %d frame%s, %dx%d, %s", result.file(), result.frames(),
                result.frames() == 1 ? "" : "s", result.width(), result.height(), size(result.bytes())));
        return LabCli.OK;
    }

    private static String size(long bytes) {
        return bytes >= 1024 * 1024 ? String.format(Locale.ROOT, "%.2f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%d KB", Math.max(1, Math.round(bytes / 1024.0)));
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
        out.println(String.format(Locale.ROOT, "%-14s %s", "report", r.report().isPresent() ? "yes (--report)" : "none stored (--report rebuilds one from the events)"));
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
