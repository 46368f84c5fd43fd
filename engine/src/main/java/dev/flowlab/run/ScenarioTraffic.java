package dev.flowlab.run;

import dev.flowlab.client.LoadClient;
import dev.flowlab.client.RunResult;

import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Traffic;
import java.util.ArrayList;
import java.util.List;

/**
 * A running lab's own traffic, sent continuously until stopped: one {@link LoadClient} per client
 * node, the scenario's traffic profile split between them. What the desktop app starts with the
 * lab (`lab run` adds a duration, faults and a report on top: {@link LabRun}).
 */
public final class ScenarioTraffic implements AutoCloseable {
    private final List<LoadClient> clients;

    private ScenarioTraffic(List<LoadClient> clients) {
        this.clients = clients;
    }

    /** Starts sending the scenario's traffic (or the given one) from every client node. */
    public static ScenarioTraffic start(Lab lab, Traffic traffic) {
        List<NodeSpec> clientNodes = lab.scenario().nodesOfKind(NodeKind.CLIENT);
        List<Traffic> parts = LabRun.split(traffic, Math.max(1, clientNodes.size()));
        List<LoadClient> started = new ArrayList<>();
        for (int i = 0; i < clientNodes.size(); i++) {
            if (lab.scenario().downstreamOf(clientNodes.get(i).id()).isEmpty()) {
                continue;
            }
            LoadClient c = LoadClient.forLab(lab, clientNodes.get(i).id());
            c.start(parts.get(i));
            started.add(c);
        }
        return new ScenarioTraffic(started);
    }

    public static ScenarioTraffic start(Lab lab) {
        return start(lab, lab.scenario().effectiveTraffic());
    }

    /** What the clients saw so far, merged. */
    public RunResult result() {
        return RunResult.merge(clients.stream().map(LoadClient::result).toList());
    }

    public int clients() {
        return clients.size();
    }

    /** Stops sending and closes the clients' connections. */
    @Override
    public void close() {
        for (LoadClient c : clients) {
            c.stop();
            c.close();
        }
    }
}
