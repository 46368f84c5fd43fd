package dev.flowlab.app.lab;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.TestScenarios;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The view-model without the UI toolkit: background and UI work run on the calling thread. */
class LabViewModelTest {
    private static final Executor SAME_THREAD = Runnable::run;

    private final List<Lab> labs = new ArrayList<>();
    private final RecordingTraffic traffic = new RecordingTraffic();

    @AfterEach
    void closeLabs() {
        labs.forEach(Lab::close);
    }

    private LabViewModel viewModel(Scenario scenario) {
        return new LabViewModel(scenario, s -> {
            Lab lab = Stack.lab(s);
            labs.add(lab);
            return lab;
        }, traffic, SAME_THREAD, SAME_THREAD);
    }

    @Test
    void beforeStart_everyNodeIsStopped_andStopIsIgnored() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.stop();

        assertThat(vm.isRunning()).isFalse();
        assertThat(vm.nodes()).extracting(NodeViewModel::getState).containsOnly("stopped");
        assertThat(vm.getStatus()).startsWith("Stopped · 2 nodes");
        assertThat(labs).isEmpty();
    }

    @Test
    void warmUp_runsOnceOnAPrivateLab_beforeTheFirstStart_andNeverAgain() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.setWarmup(java.time.Duration.ofMillis(300));

        vm.warmUp();

        assertThat(labs).as("the warm-up's own lab").hasSize(1);
        assertThat(labs.get(0).node("tomcat-1").map(n -> n.state()).orElse(null)).isNotEqualTo(dev.flowlab.runtime.NodeState.RUNNING);
        assertThat(vm.getStatus()).startsWith("Stopped · 2 nodes · press Start");
        assertThat(traffic.startedWith).as("the view's traffic driver is not the warm-up's").isEmpty();

        vm.start();
        vm.stop();
        vm.start();

        assertThat(labs).as("one warm-up, then the two Starts' labs").hasSize(3);
        assertThat(traffic.startedWith).containsExactly(labs.get(1), labs.get(2));
        assertThat(vm.isRunning()).isTrue();
    }

    @Test
    void start_withoutAnEarlierWarmUp_warmsFirst() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.setWarmup(java.time.Duration.ofMillis(300));

        vm.start();

        assertThat(labs).hasSize(2);
        assertThat(traffic.startedWith).containsExactly(labs.get(1));
        assertThat(vm.getStatus()).startsWith("Running · 2 nodes");
    }

    @Test
    void start_runsEveryNode_onARealPort_andStartsTheTraffic() throws IOException {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));

        vm.start();

        assertThat(vm.isRunning()).isTrue();
        assertThat(vm.isBusy()).isFalse();
        assertThat(vm.nodes()).extracting(NodeViewModel::getState).containsOnly("running");
        NodeViewModel tomcat = vm.node("tomcat-1").orElseThrow();
        String address = tomcat.getAddress();
        assertThat(address).matches("127\\.\\d+\\.\\d+\\.\\d+:\\d+");
        assertThat(vm.getStatus()).isEqualTo("Running · 2 nodes · " + address);
        assertThat(traffic.startedWith).containsExactly(labs.get(0));
        int colon = address.lastIndexOf(':');
        try (Socket s = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))) {
            assertThat(s.isConnected()).isTrue();
        }
    }

    @Test
    void start_isRefused_withTheEnginesErrors_whenTheTopologyCannotRun() {
        Scenario s = TestScenarios.clientToTomcat(null);
        LabViewModel vm = viewModel(s.withLinks(List.of(dev.flowlab.topology.LinkSpec.of("client", "tomcat-1"),
                dev.flowlab.topology.LinkSpec.of("tomcat-1", "client"))));

        vm.start();

        assertThat(labs).isEmpty();
        assertThat(vm.isRunning()).isFalse();
        assertThat(vm.failedProperty().get()).isTrue();
        assertThat(vm.startRefusal()).extracting(dev.flowlab.topology.TopologyProblem::message)
                .anySatisfy(m -> assertThat(m).contains("cannot link to a client"));
        assertThat(vm.getStatus()).startsWith("Cannot start: 1 problem in the topology");
    }

    @Test
    void anEditWhileRunning_keepsTheRunningLab_andSaysARestartAppliesIt_thenTheNextStartRunsIt() {
        Scenario s = TestScenarios.clientToTomcat(null);
        LabViewModel vm = viewModel(s);
        vm.start();

        Scenario edited = s.withNodes(List.of(s.nodes().get(0), s.nodes().get(1), dev.flowlab.topology.NodeSpec.of("tomcat-2", dev.flowlab.topology.NodeKind.TOMCAT)))
                .withLinks(List.of(s.links().get(0), dev.flowlab.topology.LinkSpec.of("client", "tomcat-2")));
        vm.setScenario(edited);

        assertThat(vm.restartNeededProperty().get()).isTrue();
        assertThat(vm.getStatus()).contains("restart the lab");
        assertThat(vm.node("tomcat-2").orElseThrow().getState()).isEqualTo("stopped");
        assertThat(vm.node("tomcat-1").orElseThrow().getState()).isEqualTo("running");

        vm.stop();
        vm.start();

        assertThat(vm.restartNeededProperty().get()).isFalse();
        assertThat(labs).hasSize(2);
        assertThat(labs.get(1).scenario()).isEqualTo(edited);
        assertThat(vm.node("tomcat-2").orElseThrow().getState()).isEqualTo("running");
    }

    @Test
    void aNodeAction_whileRunning_reachesTheEngine() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.start();

        vm.nodeAction("kill", "tomcat-1");

        await("tomcat-1 killed").atMost(java.time.Duration.ofSeconds(10)).until(() -> "killed".equals(labs.get(0).state("tomcat-1").id()));
        await("the status says so").atMost(java.time.Duration.ofSeconds(10)).until(() -> vm.getStatus().equals("Kill tomcat-1: done"));
        assertThat(vm.node("tomcat-1").orElseThrow().getState()).isEqualTo("killed");
    }

    @Test
    void startingAnHaPair_saysTheFirstMasterWaitsItsMasterDownInterval() {
        assertThat(LabViewModel.firstElection(TestScenarios.tomcatPair()))
                .isEqualTo(" · keepalived starts as BACKUP: the first master claims its VIP after master_down_interval 341ms");
        assertThat(LabViewModel.firstElection(TestScenarios.clientToTomcat(null))).isEmpty();
    }

    @Test
    void keepalivedActions_onAMember_killTheProcessOnly_andStartItAgain() {
        LabViewModel vm = viewModel(TestScenarios.tomcatPair());
        vm.start();
        assertThat(vm.isHaMember("tomcat-1")).isTrue();
        assertThat(vm.isHaMember("client")).isFalse();
        assertThat(vm.isKeepalivedRunning("tomcat-1")).isTrue();

        vm.nodeAction("kill-keepalived", "tomcat-1");

        await("the status says so").atMost(java.time.Duration.ofSeconds(10)).until(
                () -> vm.getStatus().equals("Kill keepalived tomcat-1: done"));
        assertThat(vm.isKeepalivedRunning("tomcat-1")).isFalse();
        assertThat(vm.node("tomcat-1").orElseThrow().getState()).as("the node itself runs on").isEqualTo("running");
        assertThat(dev.flowlab.ha.HighAvailability.of(labs.get(0)).group("pair").orElseThrow().vipLeftBehindOn("tomcat-1")).isTrue();

        vm.nodeAction("start-keepalived", "tomcat-1");
        await("the status says so").atMost(java.time.Duration.ofSeconds(10)).until(
                () -> vm.getStatus().equals("Start keepalived tomcat-1: done"));
        assertThat(vm.isKeepalivedRunning("tomcat-1")).isTrue();
        assertThat(dev.flowlab.ha.HighAvailability.of(labs.get(0)).group("pair").orElseThrow().vipLeftBehindOn("tomcat-1")).isFalse();
    }

    @Test
    void stop_closesTheLab_andEveryNodeReadsStopped() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.start();

        vm.stop();

        assertThat(vm.isRunning()).isFalse();
        assertThat(vm.isBusy()).isFalse();
        assertThat(vm.failedProperty().get()).isFalse();
        assertThat(labs.get(0).isClosed()).isTrue();
        assertThat(traffic.stops).isEqualTo(1);
        assertThat(vm.nodes()).extracting(NodeViewModel::getState).containsOnly("stopped");
        assertThat(vm.nodes()).extracting(NodeViewModel::getAddress).containsOnly((String) null);
        assertThat(vm.getStatus()).isEqualTo("Stopped · 2 nodes");
    }

    @Test
    void startAfterStop_startsAFreshLab() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.start();
        vm.stop();

        vm.start();

        assertThat(vm.isRunning()).isTrue();
        assertThat(labs).hasSize(2);
        assertThat(labs.get(1).isClosed()).isFalse();
        assertThat(vm.node("tomcat-1").orElseThrow().getState()).isEqualTo("running");
    }

    @Test
    void startFailure_onAPortAlreadyInUse_namesTheNodeAndPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String fixed = "127.0.0.1:" + taken.getLocalPort();
            LabViewModel vm = viewModel(TestScenarios.clientToTomcat(fixed));

            vm.start();

            assertThat(vm.isRunning()).isFalse();
            assertThat(vm.isBusy()).isFalse();
            assertThat(vm.failedProperty().get()).isTrue();
            assertThat(vm.getStatus()).startsWith("Start failed:").contains("tomcat-1").contains(fixed);
            assertThat(vm.node("tomcat-1").orElseThrow().getState()).isEqualTo("failed");
            assertThat(vm.node("client").orElseThrow().getState()).isEqualTo("stopped");
            assertThat(labs.get(0).isClosed()).isTrue();
            assertThat(traffic.startedWith).isEmpty();
        }
    }

    @Test
    void refresh_copiesTheLatestFiguresOfTheLab() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.start();
        labs.get(0).metrics().node("tomcat-1").connectionOpened();
        labs.get(0).metrics().snapshot(100);

        vm.refresh();

        assertThat(vm.node("tomcat-1").orElseThrow().connectionsProperty().get()).isEqualTo(1);
    }

    @Test
    void dispose_closesARunningLab_andIgnoresLaterStarts() {
        LabViewModel vm = viewModel(TestScenarios.clientToTomcat(null));
        vm.start();

        assertThat(vm.dispose()).isCompleted();

        assertThat(labs.get(0).isClosed()).isTrue();
        vm.start();
        assertThat(labs).hasSize(1);
    }

    @Test
    void aTomcatWithEveryWorkerBusy_isTheBottleneck_itsCardLineSaysSo_andStopClearsIt() throws Exception {
        dev.flowlab.topology.TomcatConfig twoWorkers = new dev.flowlab.topology.TomcatConfig(2, null, null, null, null, null, null,
                dev.flowlab.topology.ServiceTime.fixed(java.time.Duration.ofSeconds(60)), null);
        Scenario s = new Scenario(Scenario.FORMAT, "slow", null,
                List.of(dev.flowlab.topology.NodeSpec.of("client", dev.flowlab.topology.NodeKind.CLIENT),
                        new dev.flowlab.topology.NodeSpec("tomcat-1", dev.flowlab.topology.NodeKind.TOMCAT, null, null, null, twoWorkers),
                        dev.flowlab.topology.NodeSpec.of("tomcat-2", dev.flowlab.topology.NodeKind.TOMCAT)),
                List.of(dev.flowlab.topology.LinkSpec.of("client", "tomcat-1"), dev.flowlab.topology.LinkSpec.of("client", "tomcat-2")),
                null, null);
        LabViewModel vm = viewModel(s);
        vm.start();
        java.net.InetSocketAddress slow = labs.get(0).address("tomcat-1");
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket c = new Socket(slow.getAddress(), slow.getPort());
                c.getOutputStream().write("GET /api/item/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                clients.add(c);
            }
            NodeViewModel tomcat = vm.node("tomcat-1").orElseThrow();
            await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                vm.refresh();
                return tomcat.isBottleneck();
            });
            assertThat(tomcat.getCapacity()).isEqualTo("workers\u00a02/2   1\u00a0waiting");
            assertThat(vm.node("tomcat-2").orElseThrow().isBottleneck()).isFalse();
            assertThat(vm.node("tomcat-2").orElseThrow().getCapacity()).isEqualTo("workers\u00a00/200");
            vm.stop();
            assertThat(tomcat.isBottleneck()).isFalse();
            assertThat(tomcat.getCapacity()).isEmpty();
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
    }

    @Test
    void title_namesTheScenario() {
        assertThat(viewModel(TestScenarios.clientToTomcat(null)).title()).isEqualTo("Request Flow Lab — one tomcat");
    }

    private static final class RecordingTraffic implements TrafficDriver {
        final List<Lab> startedWith = new ArrayList<>();
        int stops;

        @Override
        public void start(Lab lab) {
            startedWith.add(lab);
        }

        @Override
        public void stop() {
            stops++;
        }
    }
}
