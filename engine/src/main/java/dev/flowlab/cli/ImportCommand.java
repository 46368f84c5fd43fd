package dev.flowlab.cli;

import dev.flowlab.export.NginxConfParser;
import dev.flowlab.export.NginxImporter;
import dev.flowlab.scenario.ScenarioIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `lab import nginx.conf [--to scenario.json] [--upstreams tomcat|external]`: an nginx configuration as a lab topology. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Turn an nginx configuration into a lab topology with the same settings: every server block an Nginx node "
                + "(listen, locations, proxy_pass, root/alias, proxy_cache, timeouts, proxy_next_upstream, limit_req), every upstream "
                + "server a Tomcat or an external node, a client in front. includes are read relative to the file.",
            "What the lab does not model is reported as FILE:LINE: `directive` ... on stderr; a syntax error as FILE:LINE:COL (exit 2)."})
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NGINX_CONF", description = "The nginx.conf to import")
    Path file;

    @Option(names = "--to", paramLabel = "SCENARIO_JSON", description = "Where to write the scenario (default: print it to stdout)")
    Path to;

    @Option(names = "--upstreams", paramLabel = "tomcat|external", defaultValue = "tomcat",
            description = "What upstream servers become: lab Tomcats (default) or external nodes at their addresses")
    String upstreams;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NginxImporter.Upstreams as;
        try {
            as = NginxImporter.Upstreams.valueOf(upstreams.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("lab import: --upstreams is tomcat or external, not '" + upstreams + "'");
            return LabCli.BAD_INPUT;
        }
        if (!Files.isRegularFile(file)) {
            err.println("lab import: " + file + ": no such file");
            return LabCli.BAD_INPUT;
        }
        NginxImporter.Result r;
        try {
            r = NginxImporter.importFile(file, as);
        } catch (NginxConfParser.SyntaxError e) {
            err.println(e.getMessage());
            return LabCli.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("lab import: " + e.getMessage());
            return LabCli.BAD_INPUT;
        }
        r.report().forEach(err::println);
        long nginx = r.scenario().nodes().stream().filter(n -> n.kind() == dev.flowlab.topology.NodeKind.NGINX).count();
        String summary = "lab import: " + nginx + " Nginx node(s), " + (r.scenario().nodes().size() - 1 - nginx) + " upstream node(s), "
                + r.notes().size() + " directive(s) not mapped";
        if (to == null) {
            out.print(ScenarioIO.toJson(r.scenario()));
            out.flush();
            err.println(summary);
            return LabCli.OK;
        }
        try {
            ScenarioIO.write(to, r.scenario());
        } catch (IOException e) {
            err.println("lab import: cannot write " + to + ": " + e.getMessage());
            return LabCli.FAILED;
        }
        out.println(summary + "; wrote " + to);
        return LabCli.OK;
    }
}
