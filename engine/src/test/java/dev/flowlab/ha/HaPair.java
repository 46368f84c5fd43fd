package dev.flowlab.ha;

import static org.awaitility.Awaitility.await;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.Fact.HaRole;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TrackScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test topologies with one HA group of two Tomcats (a and b) behind a client, fast adverts
 * (VRRPv3, 100 ms), and helpers that talk to the VIP over raw sockets and read X-Served-By.
 */
final class HaPair {
    static final Duration ADVERT = Duration.ofMillis(100);
    static final Duration WAIT = Duration.ofSeconds(10);

    private HaPair() {
    }

    static Scenario scenario(HaMember a, HaMember b, TrackScript track) {
        List<NodeSpec> nodes = List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("a", NodeKind.TOMCAT),
                NodeSpec.of("b", NodeKind.TOMCAT));
        HaGroup group = new HaGroup("pair", null, 7, ADVERT, 3, List.of(a, b), track);
        return new Scenario(Scenario.FORMAT, "ha-pair", null, nodes, List.of(LinkSpec.of("client", "a")), null, null,
                List.of(group));
    }

    /** A group of one member, a; b runs beside it outside any group. */
    static Scenario alone(HaMember a) {
        List<NodeSpec> nodes = List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("a", NodeKind.TOMCAT),
                NodeSpec.of("b", NodeKind.TOMCAT));
        HaGroup group = new HaGroup("pair", null, 7, ADVERT, 3, List.of(a), null);
        return new Scenario(Scenario.FORMAT, "ha-alone", null, nodes, List.of(LinkSpec.of("client", "a")), null, null,
                List.of(group));
    }

    /** The HA_STATE events of one node, in order. */
    static List<LabEvent> haStates(List<LabEvent> events, String node) {
        return events.stream().filter(e -> e.type() == EventType.HA_STATE && node.equals(e.node())).toList();
    }

    /** The node's first transition from one state to another. */
    static LabEvent firstState(List<LabEvent> events, String node, HaRole from, HaRole to) {
        return haStates(events, node).stream()
                .filter(e -> e.fact() instanceof Fact.HaTransition t && t.from() == from && t.to() == to).findFirst()
                .orElseThrow(() -> new AssertionError("no HA_STATE of " + node + " " + from + " -> " + to + " in "
                        + haStates(events, node).stream().map(LabEvent::detail).toList()));
    }

    /** The node's transitions in order, as "FROM -> TO". */
    static List<String> transitions(List<LabEvent> events, String node) {
        return haStates(events, node).stream().filter(e -> e.fact() instanceof Fact.HaTransition)
                .map(e -> (Fact.HaTransition) e.fact()).map(t -> t.from() + " -> " + t.to()).toList();
    }

    static double millisBetween(LabEvent from, LabEvent to) {
        return (to.nanos() - from.nanos()) / 1e6;
    }

    /** a: priority 150, state MASTER (still starts as BACKUP, as keepalived does below 255); b: priority 100, BACKUP. */
    static Scenario masterAndBackup() {
        return scenario(HaMember.of("a", 150).withState("MASTER"), HaMember.of("b", 100), null);
    }

    static VrrpGroup group(Lab lab) {
        return dev.flowlab.ha.HighAvailability.of(lab).group("pair").orElseThrow();
    }

    /** The backup has heard the master's adverts: from now on a lost master is noticed by missing adverts. */
    static void awaitBackupHeardMaster(Lab lab, String backup) {
        await(backup + " hears the master's adverts").atMost(WAIT).until(() -> group(lab).advertsReceivedBy(backup) >= 2);
    }

    static void awaitState(Lab lab, String node, VrrpState state) {
        await(node + " in " + state).atMost(WAIT).until(() -> group(lab).stateOf(node), s -> s == state);
    }

    /** Which node answers a fresh connection to the VIP (null when the connection fails). */
    static String servedByViaVip(Lab lab) {
        return servedBy(lab.serviceAddress("a"));
    }

    static String servedBy(InetSocketAddress to) {
        try (Socket s = new Socket()) {
            s.connect(to, 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(s.getInputStream());
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("x-served-by:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
            return "?";
        } catch (IOException e) {
            return null;
        }
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString();
    }

    static void awaitVipServedBy(Lab lab, String node) {
        await("VIP answered by " + node).atMost(WAIT).until(() -> servedByViaVip(lab), node::equals);
    }

    /** Collects the events a test looks at. */
    static List<LabEvent> drain(EventBus.Subscription sub) {
        List<LabEvent> out = new ArrayList<>();
        LabEvent e;
        while ((e = sub.poll()) != null) {
            out.add(e);
        }
        return out;
    }

    static boolean isHa(LabEvent e) {
        return e.type() == EventType.HA_STATE || e.type() == EventType.VIP_MOVED || e.type() == EventType.VRRP_ADVERT
                || e.type() == EventType.FAULT_APPLIED || e.type() == EventType.FAULT_CLEARED;
    }
}
