package dev.flowlab.cli;

import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `lab run SCENARIO`: runs the traffic, applies faults at their times, prints and writes a report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start SCENARIO, send its traffic (or the one given), apply faults at their times, "
                + "then print a summary and optionally write a JSON report.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    LabCli parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A scenario file or library name")
    String scenarioArg;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long to send traffic, e.g. 10s, 1m (default: the scenario's traffic duration)")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "${sys:flowlab.warmup:-2s}",
            description = "Before the traffic, warm the lab's code paths on a private copy of it for up to TIME "
                    + "(the JIT's first seconds are not the design's; default: ${DEFAULT-VALUE}; 0 turns it off)")
    Duration warmup;

    @ArgGroup(exclusive = true)
    Load load;

    static final class Load {
        @Option(names = "--rps", paramLabel = "N", description = "Open loop: N requests per second, whatever the responses do")
        Double rps;

        @Option(names = "--concurrency", paramLabel = "N", description = "Closed loop: N users, each waiting for its response")
        Integer concurrency;
    }

    @Option(names = "--kill", paramLabel = "NODE@TIME", description = "Kill NODE (RST its connections) at TIME, e.g. tomcat-2@5s; "
            + "an HA member's whole host dies, keepalived and the VIP with it; repeatable")
    List<String> kills = new ArrayList<>();

    @Option(names = "--stop", paramLabel = "NODE@TIME", description = "Stop NODE gracefully at TIME; repeatable")
    List<String> stops = new ArrayList<>();

    @Option(names = "--start", paramLabel = "NODE@TIME", description = "Start NODE again at TIME; repeatable")
    List<String> starts = new ArrayList<>();

    @Option(names = "--restart", paramLabel = "NODE@TIME", description = "Restart NODE at TIME; repeatable")
    List<String> restarts = new ArrayList<>();

    @Option(names = "--kill-service", paramLabel = "NODE@TIME",
            description = "Kill NODE's server but leave its keepalived running (its track_script notices); repeatable")
    List<String> serviceKills = new ArrayList<>();

    @Option(names = "--kill-keepalived", paramLabel = "NODE@TIME",
            description = "Kill only NODE's keepalived process (SIGKILL) at TIME: the node keeps serving and keeps the VIP "
                    + "it held, a backup takes over after master_down_interval, and both then hold the VIP; repeatable")
    List<String> keepalivedKills = new ArrayList<>();

    @Option(names = "--start-keepalived", paramLabel = "NODE@TIME",
            description = "Start NODE's keepalived again at TIME (it removes a VIP left behind, then starts as BACKUP); repeatable")
    List<String> keepalivedStarts = new ArrayList<>();

    @Option(names = "--partition", paramLabel = "NODE:PEER@TIME",
            description = "Drop VRRP adverts between two HA group members from TIME (split brain); repeatable")
    List<String> partitions = new ArrayList<>();

    @Option(names = "--heal", paramLabel = "NODE:PEER@TIME", description = "End a partition at TIME; repeatable")
    List<String> heals = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report to FILE")
    Path reportFile;

    @Option(names = "--record", paramLabel = "FILE",
            description = "Record the run into FILE (a .flowrec: the scenario, every event, a metrics snapshot a second, "
                    + "the faults and the report), written as the run goes; `lab replay FILE` reads it")
    Path recordFile;

    @Option(names = {"-q", "--quiet"}, description = "Print no progress while running")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ScriptStep> steps = new ArrayList<>();
        try {
            addSteps(steps, "kill", kills);
            addSteps(steps, "stop", stops);
            addSteps(steps, "start", starts);
            addSteps(steps, "restart", restarts);
            addSteps(steps, "kill-service", serviceKills);
            addSteps(steps, "kill-keepalived", keepalivedKills);
            addSteps(steps, "start-keepalived", keepalivedStarts);
            addSteps(steps, "partition", partitions);
            addSteps(steps, "heal", heals);
        } catch (IllegalArgumentException e) {
            err.println("lab run: " + e.getMessage());
            return LabCli.BAD_INPUT;
        }
        Scenario scenario = ScenarioArg.load(scenarioArg, err);
        if (scenario == null) {
            return LabCli.BAD_INPUT;
        }
        for (ScriptStep s : steps) {
            if (scenario.node(s.node()).isEmpty()) {
                err.println("lab run: --" + s.action() + " names node '" + s.node() + "', which is not in the scenario");
                return LabCli.BAD_INPUT;
            }
            if (s.action().endsWith("-keepalived") && scenario.haGroupOf(s.node()).isEmpty()) {
                err.println("lab run: --" + s.action() + " names node '" + s.node()
                        + "', which is not a member of an HA group (only members run keepalived)");
                return LabCli.BAD_INPUT;
            }
        }
        RunOptions options = new RunOptions(duration, load == null ? null : load.rps,
                load == null ? null : load.concurrency, steps, quiet ? null : line -> {
                    out.println(line);
                    out.flush();
                }).withWarmup(warmup).recordingTo(recordFile);
        RunReport report;
        try {
            report = LabRun.execute(parent.parts(), parent.labOptions(), scenario, options);
        } catch (LabStartException e) {
            err.println("lab: " + e.getMessage());
            return LabCli.FAILED;
        } catch (java.io.UncheckedIOException e) {
            err.println("lab run: " + e.getMessage());
            return LabCli.FAILED;
        }
        out.println(report.summaryTable());
        if (recordFile != null) {
            out.println("Recording written to " + recordFile + " (" + Files.size(recordFile) / 1024 + " KiB)");
        }
        if (reportFile != null) {
            ServeCommand.writeAtomically(reportFile, report.toJson() + "\n");
            out.println("Report written to " + reportFile);
        }
        return LabCli.OK;
    }

    private static void addSteps(List<ScriptStep> steps, String action, List<String> specs) {
        for (String s : specs) {
            int at = s.lastIndexOf('@');
            if (at <= 0 || at == s.length() - 1) {
                throw new IllegalArgumentException("--" + action + " '" + s + "' is not NODE@TIME (e.g. tomcat-2@5s)");
            }
            String node = s.substring(0, at);
            Map<String, String> params = Map.of();
            int colon = node.indexOf(':');
            if (colon > 0 && (action.equals("partition") || action.equals("heal"))) {
                params = Map.of("peer", node.substring(colon + 1));
                node = node.substring(0, colon);
            }
            steps.add(new ScriptStep(Durations.parse(s.substring(at + 1)), action, node, params));
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (value.trim().equals("0")) {
                return Duration.ZERO;
            }
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
