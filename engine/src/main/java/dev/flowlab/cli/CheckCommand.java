package dev.flowlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flowlab.lesson.LabCheck;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `lab check SCENARIO...`: grades lessons and challenges headless. A lesson's steps are walked
 * (their actions done, their checks followed on the lab's traffic); a challenge is run with its
 * traffic and fault script and every criterion graded. Exit status 0 when every criterion passed,
 * 1 when one failed (or a lab could not start), 2 for bad input.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Grade the lesson or challenge in each SCENARIO on a real lab: a lesson's steps are done in order "
                + "and each check is followed on the traffic; a challenge runs its traffic and fault script and grades every criterion.",
            "Each criterion prints with its measured figure. Exit status: 0 all passed, 1 one failed, 2 bad input."})
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "Scenario files or library names with a lesson or a challenge")
    List<String> scenarios;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the results as JSON to FILE (an object for one scenario, an array for several)")
    Path reportFile;

    @Option(names = {"-q", "--quiet"}, description = "Print only each criterion's result, not the steps")
    boolean quiet;

    @Option(names = "--warmup", paramLabel = "TIME", converter = RunCommand.DurationConverter.class, defaultValue = "${sys:flowlab.warmup:-2s}",
            description = "Before grading, warm the lab's code paths on a private copy of it for up to TIME "
                    + "(the JIT's first seconds are not the design's; default: ${DEFAULT-VALUE}; 0 turns it off)")
    Duration warmup;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Scenario> loaded = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String arg : scenarios) {
            Scenario s = ScenarioArg.load(arg, err);
            if (s == null) {
                return LabCli.BAD_INPUT;
            }
            if (!LabCheck.hasChecks(s)) {
                err.println("lab check: " + arg + " has " + (s.lesson() == null ? "no lesson or challenge" : "a lesson without checks") + " to grade");
                return LabCli.BAD_INPUT;
            }
            loaded.add(s);
            names.add(arg);
        }
        List<LabCheck.Result> results = new ArrayList<>();
        int status = LabCli.OK;
        for (int i = 0; i < loaded.size(); i++) {
            Scenario s = loaded.get(i);
            out.println("lab check: " + names.get(i) + ": " + s.lesson().kindOrDefault() + " \"" + s.lesson().title() + "\"");
            out.flush();
            LabCheck.Result r;
            try {
                r = LabCheck.run(s, line -> {
                    if (!quiet || line.startsWith("  PASS") || line.startsWith("  FAIL")) {
                        out.println(line);
                        out.flush();
                    }
                }, Stack::lab, warmup);
            } catch (LabStartException e) {
                err.println("lab: " + e.getMessage());
                return LabCli.FAILED;
            } catch (IllegalArgumentException e) {
                err.println("lab check: " + e.getMessage());
                return LabCli.BAD_INPUT;
            }
            results.add(r);
            long passed = r.criteria().size() - r.failures();
            out.println(names.get(i) + ": " + passed + " of " + r.criteria().size() + " criteria passed" + (r.passed() ? "" : " - FAILED"));
            out.flush();
            if (!r.passed()) {
                status = LabCli.FAILED;
            }
        }
        if (reportFile != null) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Object body = results.size() == 1 ? results.get(0) : results;
            ServeCommand.writeAtomically(reportFile, json.writeValueAsString(body) + "\n");
            out.println("Report written to " + reportFile);
        }
        return status;
    }
}
