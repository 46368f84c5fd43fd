package dev.flowlab.cli;

import dev.flowlab.stack.Stack;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowlab.control.ControlServer;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.runtime.NodeView;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `lab serve SCENARIO`: starts every node and stays up until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start every node of SCENARIO and stay up until interrupted (Ctrl-C). "
                + "Prints each node's address, the entry points, the control API's address and its token.",
                "",
                "The control API (HTTP on 127.0.0.1) answers only requests whose Host is its own "
                + "(127.0.0.1:PORT, localhost:PORT, [::1]:PORT) and refuses any from a web page elsewhere "
                + "(a foreign Origin, Sec-Fetch-Site: cross-site or same-site). Every POST needs the header "
                + "X-Flowlab-Token with this run's token (a new random one each run, printed here and written as "
                + "\"control_token\" to the --endpoints file); a body, if any, must be application/json.",
                "  curl -X POST -H \"X-Flowlab-Token: TOKEN\" \\",
                "       http://127.0.0.1:PORT/api/nodes/tomcat-1/kill"})
final class ServeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A scenario file or library name (default, 01-single-tomcat, ...)")
    String scenarioArg;

    @Option(names = "--endpoints", paramLabel = "FILE",
            description = "Also write the endpoints, with the control API's token, as JSON to FILE (readable by its owner only)")
    Path endpointsFile;

    @Option(names = "--control-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the control API on 127.0.0.1 (default: any free port)")
    int controlPort;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario = ScenarioArg.load(scenarioArg, err);
        if (scenario == null) {
            return LabCli.BAD_INPUT;
        }
        Lab lab = Stack.lab(scenario);
        ControlServer control;
        try {
            lab.start();
            control = ControlServer.start(lab, controlPort);
        } catch (LabStartException e) {
            lab.close();
            err.println("lab: " + e.getMessage());
            return LabCli.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            control.close();
            lab.close();
            stopped.countDown();
        }, "flowlab-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ObjectNode endpoints = control.endpoints();
            printEndpoints(out, scenario, lab, endpoints);
            if (endpointsFile != null) {
                writeAtomically(endpointsFile, JSON.writeValueAsString(endpoints) + "\n");
                out.println("Endpoints written to " + endpointsFile);
            }
            out.println("Serving. Press Ctrl-C to stop.");
            out.flush();
            stopped.await();
        } catch (InterruptedException e) {
            // Interrupted by an embedding program (tests, the app): stop like Ctrl-C would.
            Thread.currentThread().interrupt();
        } finally {
            if (stopped.getCount() > 0) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running and closes everything
                }
                control.close();
                lab.close();
            }
        }
        return LabCli.OK;
    }

    private static void printEndpoints(PrintWriter out, Scenario scenario, Lab lab, ObjectNode endpoints) {
        out.printf("Request Flow Lab: %s%n%n", scenario.name() == null ? "(unnamed scenario)" : scenario.name());
        out.printf("  %-16s %-9s %-22s %s%n", "NODE", "KIND", "ADDRESS", "STATE");
        for (NodeView v : lab.nodeViews()) {
            out.printf("  %-16s %-9s %-22s %s%n", v.id(), v.kind().id(), v.address() == null ? "-" : v.address(), v.state().id());
        }
        out.println();
        String http = endpoints.path("entry").path("http").asText(null);
        String dns = endpoints.path("entry").path("dns").asText(null);
        if (http != null) {
            out.printf("  HTTP entry   http://%s/   (try: curl -i http://%s/api/item/42)%n", http, http);
        }
        if (dns != null) {
            int colon = dns.lastIndexOf(':');
            out.printf("  DNS entry    %s   (try: dig @%s -p %s www.taobao.lab A)%n", dns, dns.substring(0, colon), dns.substring(colon + 1));
        }
        String control = endpoints.path("control").asText();
        out.printf("  Control API  http://%s/api/topology   /api/metrics   POST /api/nodes/{id}/kill%n", control);
        out.printf("               every POST needs -H \"%s: %s\"%n%n", ControlServer.tokenHeader(),
                endpoints.path("control_token").asText());
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // A temporary file is created readable and writable by its owner only (on POSIX file
        // systems): the endpoints hold the control API's token.
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
