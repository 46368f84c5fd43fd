package dev.flowlab.app.animate;

import dev.flowlab.live.ActivityFrame;
import dev.flowlab.live.NodeBadge;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each node's figures over the last minutes, one point per second (every tenth frame), for
 * sparklines and the detail chart. Bounded: {@link #CAPACITY} points per node.
 */
public final class MetricsHistory {
    public static final int CAPACITY = 300;

    /** One second of one node. */
    public record Point(long tMillis, double rps, double p99Ms, double errorRate, int connections) {
    }

    private final Map<String, ArrayDeque<Point>> series = new HashMap<>();
    private long lastSecond = -1;

    /** Records the frame if it starts a new second; returns whether it did. */
    public boolean add(ActivityFrame frame) {
        long second = frame.tMillis() / 1000;
        if (second == lastSecond) {
            return false;
        }
        lastSecond = second;
        for (NodeBadge b : frame.nodes()) {
            ArrayDeque<Point> s = series.computeIfAbsent(b.node(), k -> new ArrayDeque<>());
            if (s.size() == CAPACITY) {
                s.removeFirst();
            }
            s.addLast(new Point(frame.tMillis(), b.rps(), b.p99Ms(), b.errorRate(), b.connections()));
        }
        return true;
    }

    public List<Point> of(String node) {
        ArrayDeque<Point> s = series.get(node);
        return s == null ? List.of() : List.copyOf(s);
    }
}
