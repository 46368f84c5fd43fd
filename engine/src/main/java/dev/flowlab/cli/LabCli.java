package dev.flowlab.cli;

import dev.flowlab.runtime.LabOptions;
import dev.flowlab.runtime.LabParts;
import dev.flowlab.stack.Stack;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The headless `lab` command line: serve, run, check, validate. Exit status 0 when the command did its
 * job, 1 when the lab failed (a node could not start, an I/O error), 2 for bad input (usage
 * errors, invalid scenario files).
 */
@Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = LabCli.Versions.class,
        description = {
            "Request Flow Lab: build the path of a web request (DNS, LVS, Nginx, gateway, Tomcat) and run real traffic through it.",
            "SCENARIO is a file path or a library name (e.g. default, 01-single-tomcat)."},
        subcommands = {ServeCommand.class, RunCommand.class, TraceCommand.class, CheckCommand.class, ValidateCommand.class, FleetCommand.class, ExportCommand.class, ImportCommand.class,
            ReplayCommand.class,
            CommandLine.HelpCommand.class})
public final class LabCli implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@code lab run} makes its lab of, and how (a test adds a watch and a manual clock). */
    private final LabParts parts;
    private final LabOptions labOptions;

    LabCli() {
        this(Stack.parts(), LabOptions.defaults());
    }

    LabCli(LabParts parts, LabOptions labOptions) {
        this.parts = parts;
        this.labOptions = labOptions;
    }

    LabParts parts() {
        return parts;
    }

    LabOptions labOptions() {
        return labOptions;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command; returns the process exit status. */
    public static int execute(String... args) {
        return execute(List.of(), args);
    }

    /** As {@link #execute(String...)}, with lines {@code --version} prints after the engine's (the app adds JavaFX). */
    public static int execute(List<String> moreVersionLines, String... args) {
        CommandLine cl = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        cl.getCommandSpec().versionProvider(() -> versionLines(moreVersionLines));
        return cl.execute(args);
    }

    static String[] versionLines(List<String> more) {
        List<String> lines = new ArrayList<>(BuildInfo.current().lines());
        lines.addAll(more);
        return lines.toArray(String[]::new);
    }

    /** {@code lab --version}: the product, the commit, the JDK, Netty and the transport. */
    static final class Versions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return versionLines(List.of());
        }
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Stack.parts(), LabOptions.defaults());
    }

    /** The command line whose {@code lab run} makes its lab of these parts with these options. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, LabParts parts, LabOptions labOptions) {
        CommandLine cl = new CommandLine(new LabCli(parts, labOptions));
        cl.setOut(out);
        cl.setErr(err);
        // picocli answers usage errors with exit status 2 (ExitCode.USAGE), the same as BAD_INPUT.
        String library = String.join(", ", dev.flowlab.scenario.ScenarioLibrary.names());
        cl.getCommandSpec().usageMessage().footer("", "Scenarios in the library: " + (library.isEmpty() ? "(none found)" : library));
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("lab: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            org.slf4j.LoggerFactory.getLogger(LabCli.class).debug("command failed", e);
            return FAILED;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
