package dev.flowlab.cli;

import dev.flowlab.export.ScenarioExporter;
import dev.flowlab.topology.Scenario;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `lab export SCENARIO --to DIR`: the design as the real software's configuration. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a scenario as real configuration: nginx/NODE.conf, keepalived/NODE.conf, ipvsadm/NODE.rules, "
                + "dns/ZONE.zone with dns/NODE-nsd.conf, tomcat/NODE-server.xml, gateway/NODE.yml (Spring Cloud Gateway), "
                + "docker-compose.yml, Kubernetes manifests in k8s/, and a README.md saying what maps one to one and what does not.")
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A scenario file or library name")
    String scenario;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "The folder to write (created if missing)")
    Path to;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario s = ScenarioArg.load(scenario, err);
        if (s == null) {
            return LabCli.BAD_INPUT;
        }
        try {
            List<Path> written = ScenarioExporter.export(s, to);
            written.forEach(p -> out.println(to.resolve(p)));
            return LabCli.OK;
        } catch (UncheckedIOException e) {
            err.println("lab export: " + e.getMessage());
            return LabCli.FAILED;
        }
    }
}
