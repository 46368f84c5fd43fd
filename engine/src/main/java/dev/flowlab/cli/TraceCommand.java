package dev.flowlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flowlab.event.Fact;
import dev.flowlab.explain.VisitStory;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import dev.flowlab.visit.Browser;
import dev.flowlab.visit.Visit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `lab trace SCENARIO --search KEYWORD`: starts the lab, types the keyword into the shop's search
 * box from the client node (a real DNS lookup, the page, its assets), prints why every hop did
 * what it did, and stops.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Start the lab, search the shop for KEYWORD as a browser on the client node would (DNS lookup, "
                + "GET /search?q=KEYWORD, then the page's CSS, JS and images over the same keep-alive connection), "
                + "and print every hop and decision in plain words, from the engine's own events.",
            "Example: lab trace default --search phone"})
final class TraceCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A scenario file or library name")
    String scenarioArg;

    @Option(names = "--search", required = true, paramLabel = "KEYWORD", description = "What to type into the shop's search box")
    String keyword;

    @Option(names = "--visits", paramLabel = "N", defaultValue = "1",
            description = "Search N times in a row from the same browser (the second within the DNS TTL reuses the cached "
                    + "answer; a second asset fetch through the same Nginx is a cache HIT). Default: ${DEFAULT-VALUE}")
    int visits;

    @Option(names = "--kill", paramLabel = "NODE", description = "Kill this node after the start, before the search (repeatable)")
    List<String> kills = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the visit(s) and their explanations as JSON")
    Path reportFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (keyword == null || keyword.isBlank()) {
            err.println("lab trace: --search needs a keyword (e.g. --search phone)");
            return LabCli.BAD_INPUT;
        }
        if (keyword.length() > 200) {
            err.println("lab trace: the keyword is " + keyword.length() + " characters long; at most 200");
            return LabCli.BAD_INPUT;
        }
        if (visits < 1 || visits > 20) {
            err.println("lab trace: --visits must be 1 to 20, not " + visits);
            return LabCli.BAD_INPUT;
        }
        Scenario scenario = ScenarioArg.load(scenarioArg, err);
        if (scenario == null) {
            return LabCli.BAD_INPUT;
        }
        if (scenario.nodesOfKind(NodeKind.CLIENT).isEmpty()) {
            err.println("lab trace: scenario " + scenarioArg + " has no client node to search from");
            return LabCli.BAD_INPUT;
        }
        for (String k : kills) {
            if (scenario.node(k).isEmpty()) {
                err.println("lab trace: --kill names node '" + k + "', which is not in the scenario");
                return LabCli.BAD_INPUT;
            }
        }
        List<Map<String, Object>> reported = new ArrayList<>();
        boolean answered = true;
        try (Lab lab = Stack.lab(scenario)) {
            lab.start();
            for (String k : kills) {
                lab.kill(k).get(10, TimeUnit.SECONDS);
                out.println("killed " + k);
            }
            Browser browser = Browser.forLab(lab);
            for (int i = 0; i < visits; i++) {
                if (i > 0) {
                    out.println();
                    out.println("----");
                }
                Visit visit = browser.search(keyword);
                VisitStory story = VisitStory.of(visit);
                out.print(story.text());
                out.flush();
                answered &= visit.page().status() > 0;
                reported.add(json(visit, story));
            }
        } catch (LabStartException e) {
            err.println("lab: " + e.getMessage());
            return LabCli.FAILED;
        } catch (Browser.VisitException e) {
            err.println("lab trace: " + e.getMessage());
            return LabCli.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LabCli.FAILED;
        } catch (Exception e) {
            err.println("lab trace: " + e);
            return LabCli.FAILED;
        }
        if (reportFile != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("scenario", scenarioArg);
            report.put("keyword", keyword.strip());
            report.put("visits", reported);
            try {
                ServeCommand.writeAtomically(reportFile, JSON.writeValueAsString(report) + "\n");
            } catch (java.io.IOException e) {
                err.println("lab trace: " + e.getMessage());
                return LabCli.FAILED;
            }
            out.println("Report written to " + reportFile);
        }
        return answered ? LabCli.OK : LabCli.FAILED;
    }

    static Map<String, Object> json(Visit visit, VisitStory story) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("url", visit.url());
        if (visit.lookup() != null) {
            Fact.Resolved r = visit.lookup().resolved();
            Map<String, Object> dns = new LinkedHashMap<>();
            dns.put("node", visit.lookup().dnsNode());
            dns.put("name", r.name());
            dns.put("addresses", r.addresses());
            dns.put("chosen", r.chosen());
            dns.put("ttlSeconds", r.ttlSeconds());
            dns.put("secondsLeft", r.secondsLeft());
            dns.put("fromCache", r.fromCache());
            dns.put("server", r.server());
            dns.put("why", story.dns());
            v.put("dns", dns);
        }
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < visit.fetches().size(); i++) {
            Visit.Fetch f = visit.fetches().get(i);
            VisitStory.Request told = story.requests().get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("path", f.path());
            r.put("role", f.role().name().toLowerCase(java.util.Locale.ROOT));
            r.put("traceId", f.traceId());
            r.put("status", f.status());
            r.put("contentType", f.contentType());
            r.put("bytes", f.body().length);
            r.put("servedBy", f.servedBy());
            r.put("cacheStatus", f.header("x-cache-status"));
            r.put("connection", f.connection());
            r.put("reusedConnection", f.reusedConnection());
            if (f.error() != null) {
                r.put("error", f.error());
            }
            r.put("headline", told.headline());
            List<Map<String, Object>> hops = new ArrayList<>();
            for (VisitStory.Hop h : told.hops()) {
                Map<String, Object> hop = new LinkedHashMap<>();
                hop.put("node", h.node());
                hop.put("kind", h.kind());
                hop.put("layer", h.layer());
                hop.put("status", h.status());
                hop.put("durationMillis", Math.round(h.durationNanos() / 1e4) / 100.0);
                hop.put("why", h.why());
                hops.add(hop);
            }
            r.put("hops", hops);
            requests.add(r);
        }
        v.put("requests", requests);
        return v;
    }
}
