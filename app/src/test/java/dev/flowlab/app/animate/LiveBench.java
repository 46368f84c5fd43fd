package dev.flowlab.app.animate;

import atlantafx.base.theme.PrimerLight;
import dev.flowlab.app.canvas.EditorCanvas;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.app.lab.NodeViewModel;
import dev.flowlab.client.RunResult;
import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The live view's benchmark: a 20-node lab (client -> nginx-1 -> 18 Tomcats) under open-loop
 * traffic, measured twice over the same window: the engine's throughput with the view off, then
 * with the whole live view on screen (frames, particles, badges, charts, event log), recording
 * the frame times. {@code LiveBench.Main [--rps 10000 | --concurrency 64] [--seconds 10] [--warmup 5] [--rounds 2] [--max-fps 60] [--dot-budget 1000] [--no-pulse-times] [--no-particles] [--engine-only]}; needs a
 * display (Xvfb with {@code -Dprism.order=sw} for software rendering).
 */
public final class LiveBench extends Application {
    private static volatile String[] arguments = new String[0];
    private java.util.Map<String, NodeViewModel> cards = java.util.Map.of();
    /** The cards' figures, refreshed ten times a second as the main window's LabViewModel does. */
    private javafx.animation.Timeline cardRefresh;

    /** Launcher that does not extend Application. */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) {
            arguments = args;
            if (!java.util.Arrays.asList(args).contains("--no-pulse-times")) {
                PulseTimes.install();
            }
            Application.launch(LiveBench.class);
        }
    }

    static Scenario twentyNodes(double rps) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT).withPosition(new Position(20, 330)));
        nodes.add(NodeSpec.of("nginx-1", NodeKind.NGINX).withPosition(new Position(310, 330)));
        links.add(LinkSpec.of("client", "nginx-1"));
        for (int i = 1; i <= 18; i++) {
            nodes.add(NodeSpec.of("tomcat-" + i, NodeKind.TOMCAT).withPosition(new Position(640 + (i - 1) % 3 * 270, 20 + (i - 1) / 3 * 125))
                    .withConfig(TomcatConfig.EMPTY.withServiceTime(ServiceTime.fixed(Duration.ZERO))));
            links.add(LinkSpec.of("nginx-1", "tomcat-" + i));
        }
        return new Scenario(Scenario.FORMAT, "live bench: 20 nodes", null, nodes, links,
                new Traffic("open", rps, null, null, null), null);
    }

    private static Scenario withTraffic(Scenario s, Traffic t) {
        return new Scenario(s.format(), s.name(), s.description(), s.nodes(), s.links(), t, null);
    }

    @Override
    public void start(Stage stage) {
        double rps = Double.parseDouble(option("--rps", "10000"));
        int seconds = Integer.parseInt(option("--seconds", "10"));
        int warmup = Integer.parseInt(option("--warmup", "5"));
        String users = option("--concurrency", null);
        Scenario scenario = users == null ? twentyNodes(rps)
                : withTraffic(twentyNodes(rps), new Traffic("closed", null, Integer.parseInt(users), null, null));
        List<NodeViewModel> vms = scenario.nodes().stream().map(NodeViewModel::new).toList();
        EditorCanvas topology = new EditorCanvas(new ScenarioDocument(scenario, null), new Selection(),
                id -> vms.stream().filter(v -> v.id().equals(id)).findFirst());
        TopologyViewGeometry geometry = new TopologyViewGeometry(topology::card, topology);
        // The main window's arrangement: the canvas with the particle and badge layers over it,
        // the live panels (trace, step, events, charts) below it.
        LiveView view = LiveView.aroundEditor(scenario, topology, geometry, geometry, System.nanoTime());
        javafx.scene.control.SplitPane work = new javafx.scene.control.SplitPane(view, view.panels().orElseThrow());
        work.setOrientation(javafx.geometry.Orientation.VERTICAL);
        work.setDividerPositions(0.62);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene(work, 1560, 880);
        scene.getStylesheets().add(Objects.requireNonNull(dev.flowlab.app.FlowLabApp.class.getResource("app.css")).toExternalForm());
        scene.getStylesheets().add(Objects.requireNonNull(LiveView.class.getResource("live.css")).toExternalForm());
        stage.setScene(scene);
        stage.setTitle("live bench");
        stage.show();
        topology.fitWhenLaidOut();
        this.cards = vms.stream().collect(java.util.stream.Collectors.toMap(NodeViewModel::id, v -> v));
        Thread runner = new Thread(() -> run(scenario, view, rps, seconds, warmup), "live-bench");
        runner.setDaemon(true);
        runner.start();
    }

    private void run(Scenario scenario, LiveView view, double rps, int seconds, int warmup) {
        int exit = 0;
        try (Lab lab = dev.flowlab.app.FlowLabApp.backgroundLab(scenario)) {
            lab.start();
            try (ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
                boolean engineOnly = java.util.Arrays.asList(arguments).contains("--engine-only");
                boolean noParticles = java.util.Arrays.asList(arguments).contains("--no-particles");
                int rounds = Integer.parseInt(option("--rounds", "2"));
                // Warm-up with the view on screen as well: the JIT compiles the view's code (and the
                // renderer's) before anything is measured, not during the first "view on" window.
                pause(warmup);
                if (!engineOnly) {
                    // The same view as measured (card refresh, frame cap, dot budget): the particle
                    // scale settles and every path is compiled before the first window.
                    LiveSession warm = LiveSession.open(lab, false);
                    showView(lab, view, warm, noParticles);
                    pause(warmup);
                    hideView(view);
                    warm.close();
                }
                System.out.printf(Locale.ROOT, "live bench: 20 nodes, %s, %d s windows, %d rounds of view off then on%s%n",
                        "closed".equals(lab.scenario().traffic().mode())
                                ? "closed loop, " + lab.scenario().traffic().concurrency() + " users"
                                : String.format(Locale.ROOT, "open loop, target %.0f req/s", rps),
                        seconds, rounds, engineOnly ? " (engine side only: no UI attached)" : noParticles ? " (particles hidden)" : "");
                double offSum = 0;
                double onSum = 0;
                for (int round = 1; round <= rounds; round++) {
                    long cpuOff0 = processCpuNanos();
                    long wallOff0 = System.nanoTime();
                    double off = throughput(traffic, seconds);
                    double cpuOff = (processCpuNanos() - cpuOff0) / (double) (System.nanoTime() - wallOff0);
                    LiveSession session = LiveSession.open(lab, false);
                    if (!engineOnly) {
                        showView(lab, view, session, noParticles);
                    }
                    pause(2);
                    onFx(() -> view.particles().meter().reset());
                    PulseTimes.start();
                    long cpuOn0 = processCpuNanos();
                    long viewCpu0 = viewCpuNanos();
                    long renderCpu0 = renderCpuNanos();
                    long frames0 = view.particles().meter().frames();
                    long wall0 = System.nanoTime();
                    double on = throughput(traffic, seconds);
                    PulseTimes.stop();
                    long viewCpu = viewCpuNanos() - viewCpu0;
                    long renderCpu = renderCpuNanos() - renderCpu0;
                    double wallS = (System.nanoTime() - wall0) / 1e9;
                    double cpuOn = (processCpuNanos() - cpuOn0) / 1e9 / wallS;
                    FrameMeter m = view.particles().meter();
                    String[] figures = new String[1];
                    onFx(() -> figures[0] = String.format(Locale.ROOT,
                            "frames %d · interval p50 %.1f ms p90 %.1f ms p95 %.1f ms p99 %.1f ms max %.1f ms · draw p50 %.2f ms p99 %.2f ms · %.1f fps · %.2f%% of frames late · dots now %d (%s) · events lost by the view %d",
                            m.frames(), m.intervalMs(50), m.intervalMs(90), m.intervalMs(95), m.intervalMs(99), m.intervalMs(100), m.drawMs(50), m.drawMs(99), m.fps(), m.lateShare() * 100,
                            view.particles().field().count(), view.particles().legend(), session.activity().dropped()));
                    long frames = Math.max(1, view.particles().meter().frames() - frames0);
                    String cpu = String.format(Locale.ROOT, "view CPU (FX thread + renderer) %.2f ms per frame (renderer %.2f), %.0f%% of one core",
                            viewCpu / 1e6 / frames, renderCpu / 1e6 / frames, viewCpu / 1e9 / wallS * 100);
                    if (!engineOnly) {
                        hideView(view);
                    }
                    session.close();
                    offSum += off;
                    onSum += on;
                    System.out.printf(Locale.ROOT, "round %d: view off %.0f req/s · view on %.0f req/s (%.1f%%) · whole JVM %.2f -> %.2f cores busy%n",
                            round, off, on, off == 0 ? 0 : on / off * 100, cpuOff, cpuOn);
                    if (!engineOnly) {
                        System.out.println("round " + round + " view: " + figures[0]);
                        System.out.println("round " + round + " " + cpu);
                        if (PulseTimes.installed()) {
                            System.out.printf(Locale.ROOT, "round %d frame time (JavaFX pulse logger: pulse start to painted, %d frames) p50 %d ms p90 %d ms p99 %d ms max %d ms%n",
                                    round, PulseTimes.count(), PulseTimes.percentileMs(50), PulseTimes.percentileMs(90), PulseTimes.percentileMs(99), PulseTimes.percentileMs(100));
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "mean: view off %.0f req/s · view on %.0f req/s · the view costs %.1f%%%n",
                        offSum / rounds, onSum / rounds, offSum == 0 ? 0 : (1 - onSum / offSum) * 100);
            }
        } catch (RuntimeException e) {
            System.err.println("live bench failed: " + e);
            exit = 1;
        }
        int code = exit;
        Platform.runLater(() -> {
            Platform.exit();
            System.exit(code);
        });
    }

    /** Puts the view on a session as the app shows it: figures on the cards ten times a second, the bench's frame cap and dot budget. */
    private void showView(Lab lab, LiveView view, LiveSession session, boolean noParticles) {
        onFx(() -> {
            view.attach(session);
            cardRefresh = new javafx.animation.Timeline(new javafx.animation.KeyFrame(javafx.util.Duration.millis(100), e -> {
                dev.flowlab.metrics.MetricsSnapshot figures = lab.metrics().latest();
                for (dev.flowlab.runtime.NodeView n : lab.nodeViews()) {
                    NodeViewModel card = cards.get(n.id());
                    if (card != null) {
                        card.show(n, figures.node(n.id()));
                    }
                }
            }));
            cardRefresh.setCycleCount(javafx.animation.Animation.INDEFINITE);
            cardRefresh.play();
            view.particles().maxFpsProperty().set(Double.parseDouble(option("--max-fps", "60")));
            String dots = option("--dot-budget", null);
            if (dots != null) {
                view.particles().field().scale().budget(Integer.parseInt(dots));
            }
            view.particles().setVisible(!noParticles);
        });
    }

    private void hideView(LiveView view) {
        onFx(() -> {
            view.detach();
            if (cardRefresh != null) {
                cardRefresh.stop();
            }
        });
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the threads that draw the view: the FX application thread and Prism's renderer. */
    private static long viewCpuNanos() {
        return threadCpuNanos(n -> n.equals("JavaFX Application Thread") || n.startsWith("QuantumRenderer")
                || n.equals("GtkNativeMainLoopThread"));
    }

    private static long renderCpuNanos() {
        return threadCpuNanos(n -> n.startsWith("QuantumRenderer"));
    }

    private static long threadCpuNanos(java.util.function.Predicate<String> name) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (name.test(t.getName())) {
                total += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private static double throughput(ScenarioTraffic traffic, int seconds) {
        RunResult before = traffic.result();
        long t0 = System.nanoTime();
        pause(seconds);
        RunResult after = traffic.result();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return (after.ok() - before.ok()) / elapsed;
    }

    private static void onFx(Runnable r) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("FX thread did not answer: " + e, e);
        }
    }

    private static void pause(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String option(String name, String otherwise) {
        String[] a = arguments;
        for (int i = 0; i + 1 < a.length; i++) {
            if (a[i].equals(name)) {
                return a[i + 1];
            }
        }
        return otherwise;
    }
}
