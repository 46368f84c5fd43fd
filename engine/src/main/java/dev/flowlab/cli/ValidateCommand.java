package dev.flowlab.cli;

import dev.flowlab.scenario.ScenarioCheck;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.scenario.ScenarioProblem;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `lab validate SCENARIO...`: checks files; errors as file:line:column: message, exit status 2. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check scenario files: syntax, fields, values and the topology. "
                + "Problems print as file:line:column: message; the exit status is 2 if any file has an error.")
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "Scenario files or library names")
    List<String> scenarios;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = LabCli.OK;
        for (String arg : scenarios) {
            Scenario s;
            int warnings;
            // One problem, one line: every line printed goes through ScenarioProblem, which escapes control characters.
            Path file = asPath(arg);
            if (file != null && Files.exists(file)) {
                ScenarioCheck check = ScenarioIO.check(file);
                check.errors().forEach(err::println);
                for (ScenarioProblem w : check.warnings()) {
                    err.println(w.toString("warning"));
                }
                if (!check.ok()) {
                    status = LabCli.BAD_INPUT;
                    continue;
                }
                s = check.scenario();
                warnings = check.warnings().size();
            } else {
                s = ScenarioArg.load(arg, err);
                if (s == null) {
                    status = LabCli.BAD_INPUT;
                    continue;
                }
                List<TopologyProblem> ws = TopologyValidator.validate(s).stream().filter(p -> !p.isError()).toList();
                ws.forEach(w -> err.println(new ScenarioProblem(arg, 0, 0, w.path(), w.message()).toString("warning")));
                warnings = ws.size();
            }
            // Not the topology's business (the file may be meant for another machine), but this one cannot run it.
            for (int i = 0; i < s.nodes().size(); i++) {
                var n = s.nodes().get(i);
                if (n.config() instanceof dev.flowlab.topology.NginxConfig nc && nc.runsRealNginx() && !dev.flowlab.export.NginxBinary.installed()) {
                    err.println(new ScenarioProblem(arg, 0, 0, "$.nodes[" + i + "].config.engine", "node " + n.id()
                            + ": engine \"nginx\" needs the nginx binary, and none was found on " + dev.flowlab.export.NginxBinary.searched()
                            + " (lab run will refuse to start it here)").toString("warning"));
                    warnings++;
                }
            }
            out.printf("%s: ok (%d nodes, %d links%s)%n", ScenarioProblem.oneLine(arg), s.nodes().size(), s.links().size(),
                    warnings == 0 ? "" : ", " + warnings + " warning" + (warnings == 1 ? "" : "s"));
        }
        out.flush();
        err.flush();
        return status;
    }

    /** The argument as a path, or null when it cannot be one (a NUL in it): then it is looked up as a library name. */
    private static Path asPath(String arg) {
        try {
            return Path.of(arg);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
