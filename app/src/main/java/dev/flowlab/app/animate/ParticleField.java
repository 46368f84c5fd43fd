package dev.flowlab.app.animate;

import dev.flowlab.live.ActivityFrame;
import dev.flowlab.live.LinkStats;
import dev.flowlab.live.Outcome;
import dev.flowlab.live.ReturnPath;
import dev.flowlab.live.Sample;
import dev.flowlab.live.TrafficKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The particles, without any drawing: lanes (a link's request direction, its answer direction, a
 * direct-return path), how many dots each lane emits per second (its real rate divided by the
 * {@link ParticleScale}), and where every dot is. Each dot is a sampled real request: its kind,
 * its outcome, its trace id. Dots travel a lane in the link's real latency, slowed by
 * {@link #slowMotion()} so a 20 ms hop can be seen. Arrays, not objects: thousands of dots cost
 * no garbage per frame.
 */
public final class ParticleField {
    public static final int DEFAULT_BUDGET = 1_000;
    /** Hard cap: past it emission stops (and the scale goes up on the next frame). */
    static final int CAPACITY = 6_000;
    static final double MIN_TRAVEL_SECONDS = 0.35;
    static final double MAX_TRAVEL_SECONDS = 4.0;

    /** One direction of travel between two nodes. */
    public static final class Lane {
        public final String from;
        public final String to;
        /** Answers: dots show the outcome's shape. */
        public final boolean answers;
        /** A path that is not a drawn link (LVS DR replies). */
        public final boolean direct;
        double rps;
        double rate;
        double travelSeconds = 1;
        double carry;
        List<Sample> samples = List.of();
        int nextSample;
        int openConnections;
        double errorShare;

        Lane(String from, String to, boolean answers, boolean direct) {
            this.from = from;
            this.to = to;
            this.answers = answers;
            this.direct = direct;
        }

        public double dotsPerSecond() {
            return rate;
        }

        public double requestsPerSecond() {
            return rps;
        }

        public double travelSeconds() {
            return travelSeconds;
        }

        public int openConnections() {
            return openConnections;
        }

        public double errorShare() {
            return errorShare;
        }
    }

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final List<Lane> laneList = new ArrayList<>();
    private final ParticleScale scale;
    private double slowMotion = 40;
    private boolean scaleChanged;
    private long aggregatedAway;

    // Struct of arrays: dot i is alive for i < count.
    final int[] lane = new int[CAPACITY];
    final double[] progress = new double[CAPACITY];
    final double[] speed = new double[CAPACITY];
    final TrafficKind[] kind = new TrafficKind[CAPACITY];
    final Outcome[] outcome = new Outcome[CAPACITY];
    final String[] trace = new String[CAPACITY];
    int count;

    public ParticleField(int budget) {
        this.scale = new ParticleScale(budget);
    }

    /** Takes a frame's rates, latencies and samples; call once per frame received (10 Hz). */
    public void update(ActivityFrame frame) {
        double dotSeconds = 0;
        for (LinkStats l : frame.links()) {
            double travel = travel(l.latencyMs());
            Lane req = lane(l.from(), l.to(), false, false);
            apply(req, l.requestsPerSecond(), travel, l.samples(), l.openConnections(), l.errorShare());
            dotSeconds += l.requestsPerSecond() * travel;
            Lane ans = lane(l.from(), l.to(), true, false);
            double answers = l.responsesBypass() ? 0 : l.requestsPerSecond();
            apply(ans, answers, travel, l.samples(), l.openConnections(), l.errorShare());
            dotSeconds += answers * travel;
        }
        for (ReturnPath r : frame.directReturns()) {
            Lane direct = lane(r.from(), r.to(), true, true);
            double travel = travel(0);
            apply(direct, r.requestsPerSecond(), travel, r.samples(), 0, 0);
            dotSeconds += r.requestsPerSecond() * travel;
        }
        scaleChanged |= scale.update(dotSeconds);
        for (Lane l : laneList) {
            l.rate = l.rps / scale.requestsPerDot();
        }
    }

    private void apply(Lane lane, double rps, double travel, List<Sample> samples, int conns, double errorShare) {
        lane.rps = rps;
        lane.travelSeconds = travel;
        if (!samples.isEmpty()) {
            lane.samples = samples;
            lane.nextSample = 0;
        }
        lane.openConnections = conns;
        lane.errorShare = errorShare;
    }

    private double travel(double latencyMs) {
        return Math.max(MIN_TRAVEL_SECONDS, Math.min(MAX_TRAVEL_SECONDS, latencyMs / 1000.0 * slowMotion));
    }

    private Lane lane(String from, String to, boolean answers, boolean direct) {
        String key = from + "\u0000" + to + "\u0000" + answers + "\u0000" + direct;
        Lane l = lanes.get(key);
        if (l == null) {
            l = new Lane(from, to, answers, direct);
            lanes.put(key, l);
            laneList.add(l);
        }
        return l;
    }

    /** Moves every dot by {@code dt} seconds of (already slowed) time and emits the new ones. */
    public void advance(double dt) {
        int w = 0;
        for (int i = 0; i < count; i++) {
            double p = progress[i] + speed[i] * dt;
            if (p < 1) {
                lane[w] = lane[i];
                progress[w] = p;
                speed[w] = speed[i];
                kind[w] = kind[i];
                outcome[w] = outcome[i];
                trace[w] = trace[i];
                w++;
            }
        }
        for (int i = w; i < count; i++) {
            trace[i] = null;
        }
        count = w;
        for (int li = 0; li < laneList.size(); li++) {
            Lane l = laneList.get(li);
            l.carry += l.rate * dt;
            while (l.carry >= 1) {
                l.carry -= 1;
                if (count >= CAPACITY) {
                    aggregatedAway++;
                    continue;
                }
                Sample s = l.samples.isEmpty() ? null : l.samples.get(l.nextSample++ % l.samples.size());
                lane[count] = li;
                // Spread the dots emitted in one frame along the first stretch, so a burst does not look like one dot.
                progress[count] = Math.min(0.15, l.carry / l.rate / l.travelSeconds);
                speed[count] = 1 / l.travelSeconds;
                kind[count] = s == null ? TrafficKind.OTHER : s.kind();
                outcome[count] = s == null || !l.answers ? Outcome.OK : s.outcome();
                trace[count] = s == null ? null : s.traceId();
                count++;
            }
        }
    }

    /** Drops every dot (step mode shows one request alone). */
    public void clear() {
        for (int i = 0; i < count; i++) {
            trace[i] = null;
        }
        count = 0;
        for (Lane l : laneList) {
            l.carry = 0;
        }
    }

    public int count() {
        return count;
    }

    public List<Lane> lanes() {
        return laneList;
    }

    public int laneIndexOf(int dot) {
        return lane[dot];
    }

    public Lane laneOf(int dot) {
        return laneList.get(lane[dot]);
    }

    public double progressOf(int dot) {
        return progress[dot];
    }

    public TrafficKind kindOf(int dot) {
        return kind[dot];
    }

    public Outcome outcomeOf(int dot) {
        return outcome[dot];
    }

    public String traceOf(int dot) {
        return trace[dot];
    }

    public ParticleScale scale() {
        return scale;
    }

    /** True once after each scale change (the legend flashes). */
    public boolean takeScaleChanged() {
        boolean c = scaleChanged;
        scaleChanged = false;
        return c;
    }

    public double slowMotion() {
        return slowMotion;
    }

    /** How many times slower than real time dots travel (real latency x this). */
    public void slowMotion(double factor) {
        this.slowMotion = Math.max(1, factor);
    }

    /** Dots not drawn because the hard cap was reached. */
    public long aggregatedAway() {
        return aggregatedAway;
    }
}
