package dev.flowlab.ha;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static dev.flowlab.ha.HaPair.awaitState;
import static dev.flowlab.ha.HaPair.awaitVipServedBy;
import static dev.flowlab.ha.HaPair.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.HaGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL of the keepalived process on a live host (keepalived 2.2.7, measured): nothing removes
 * the VIP, so the host keeps it and its service keeps answering on it; the backup takes over after
 * master_down_interval and then both hold the VIP. Starting keepalived again removes the VIP left
 * behind ("removing VIPs"), and the higher priority member preempts back after its own interval.
 */
class KeepalivedKillTest {

    private static TcpServerNode node(Lab lab, String id) {
        return (TcpServerNode) lab.node(id).orElseThrow();
    }

    /** One keep-alive request on an open connection; returns X-Served-By. */
    private static String askOn(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: lab\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String head = HaPair.readHead(in);
        int length = 0;
        String servedBy = null;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            } else if (lower.startsWith("x-served-by:")) {
                servedBy = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        in.readNBytes(length);
        return servedBy;
    }

    @Test
    void killKeepalivedOnTheMaster_vipStaysThere_backupTakesOver_bothHoldIt_startKeepalivedResolvesIt() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup());
             EventBus.Subscription sub = lab.events().subscribe(10_000, HaPair::isHa);
             Socket held = new Socket()) {
            lab.start();
            awaitVipServedBy(lab, "a");
            HaPair.awaitBackupHeardMaster(lab, "b");
            held.connect(lab.serviceAddress("a"), 1000);
            held.setSoTimeout(5000);
            assertThat(askOn(held)).isEqualTo("a");

            lab.apply("kill-keepalived", "a", Map.of()).get();
            // The node runs on and keeps the VIP: only its keepalived is gone.
            assertThat(lab.state("a")).isEqualTo(NodeState.RUNNING);
            assertThat(group(lab).stateOf("a")).isEqualTo(VrrpState.STOPPED);
            assertThat(node(lab, "a").holdsVip()).isTrue();
            assertThat(group(lab).vipLeftBehindOn("a")).isTrue();

            awaitState(lab, "b", VrrpState.MASTER);
            await("b holds the VIP too").atMost(HaPair.WAIT).until(() -> node(lab, "b").holdsVip());
            await("the duplicate VIP is flagged").atMost(HaPair.WAIT).until(() -> group(lab).duplicateVip());
            assertThat(group(lab).vipHolders()).containsExactly("a", "b");
            assertThat(group(lab).masters()).containsExactly("b");
            assertThat(group(lab).splitBrain()).isFalse();
            // The connection through a's VIP listener was never broken, and a answers on it still.
            assertThat(askOn(held)).isEqualTo("a");
            Set<String> answering = new HashSet<>();
            await("both holders answer new connections on the VIP").atMost(HaPair.WAIT).until(() -> {
                answering.add(HaPair.servedByViaVip(lab));
                return answering.containsAll(Set.of("a", "b"));
            });

            Failover f = group(lab).failovers().get(0);
            assertThat(f.from()).isEqualTo("a");
            assertThat(f.to()).isEqualTo("b");
            assertThat(f.cause()).isEqualTo("keepalived killed");
            assertThat(f.releasedNanos()).as("a never let the VIP go").isZero();
            Duration formula = HaGroup.masterDownInterval(HaPair.ADVERT, 100, 3);
            assertThat(f.waitMs()).as("b waited its master_down_interval after a's last advert")
                    .isGreaterThanOrEqualTo(formula.toNanos() / 1e6 - 1);

            lab.apply("start-keepalived", "a", Map.of()).get();
            // keepalived's start-up removes the VIP its killed predecessor left: the duplicate ends at once.
            assertThat(node(lab, "a").holdsVip()).isFalse();
            assertThat(group(lab).duplicateVip()).isFalse();
            assertThat(group(lab).stateOf("a")).isEqualTo(VrrpState.BACKUP);
            assertThat(group(lab).failovers().get(0).releasedNanos()).isPositive();
            // Then a (150) preempts b (100) after its own master_down_interval.
            awaitState(lab, "a", VrrpState.MASTER);
            awaitState(lab, "b", VrrpState.BACKUP);
            awaitVipServedBy(lab, "a");
            assertThat(group(lab).vipHolders()).containsExactly("a");

            List<LabEvent> seen = HaPair.drain(sub);
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.node()).isEqualTo("a");
                assertThat(e.detail()).startsWith("MASTER -> STOPPED: keepalived process killed (SIGKILL): no more adverts; "
                        + "nothing removed VIP ").endsWith("which stays on a and its service still answers on it");
            });
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.HA_STATE);
                assertThat(e.node()).isEqualTo("pair");
                assertThat(e.detail()).startsWith("duplicate VIP: a (keepalived killed) and b (MASTER) both hold " + group(lab).vipText());
            });
            assertThat(seen).anySatisfy(e -> assertThat(e.detail()).isEqualTo("duplicate VIP resolved: only b holds "
                    + group(lab).vipText() + " (a: keepalived started: removing VIPs)"));
        }
    }

    @Test
    void killTheHostAfterItsKeepalived_theLeftBehindVipGoesWithIt_andAStartedNodeWaitsAsBackup() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup())) {
            lab.start();
            awaitVipServedBy(lab, "a");
            lab.apply("kill-keepalived", "a", Map.of()).get();
            await("the duplicate VIP is flagged").atMost(HaPair.WAIT).until(() -> group(lab).duplicateVip());

            lab.kill("a").get();
            assertThat(node(lab, "a").holdsVip()).isFalse();
            assertThat(group(lab).duplicateVip()).isFalse();
            assertThat(group(lab).vipHolders()).containsExactly("b");
            awaitVipServedBy(lab, "b");

            lab.startNode("a").get();
            // The VIP is not bound again by the node itself: keepalived starts as BACKUP and claims it later.
            assertThat(node(lab, "a").holdsVip()).isFalse();
            assertThat(group(lab).stateOf("a")).isEqualTo(VrrpState.BACKUP);
            awaitState(lab, "a", VrrpState.MASTER);
            awaitVipServedBy(lab, "a");
        }
    }

    @Test
    void killKeepalivedOnTheBackup_nothingMoves_andTheMasterKeepsTheVipAlone() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup())) {
            lab.start();
            awaitVipServedBy(lab, "a");
            lab.apply("kill-keepalived", "b", Map.of()).get();
            assertThat(group(lab).stateOf("b")).isEqualTo(VrrpState.STOPPED);
            assertThat(group(lab).vipLeftBehindOn("b")).isFalse();
            assertThat(group(lab).vipHolders()).containsExactly("a");
            assertThat(group(lab).duplicateVip()).isFalse();
            assertThat(group(lab).failovers()).isEmpty();
        }
    }

    @Test
    void keepalivedActions_needARunningMember() throws Exception {
        try (Lab lab = Stack.lab(HaPair.alone(dev.flowlab.topology.HaMember.of("a", 150)))) {
            lab.start();
            assertThat(lab.apply("kill-keepalived", "b", Map.of())).failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat().withMessageContaining("b is not a member of an HA group");
            lab.kill("a").get();
            assertThat(lab.apply("start-keepalived", "a", Map.of())).failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat().withMessageContaining("start-keepalived: a is killed");
        }
    }
}
