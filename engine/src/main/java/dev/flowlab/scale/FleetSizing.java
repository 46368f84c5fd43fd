package dev.flowlab.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many boxes a load needs, from {@link PublishedFigures} only: Maglev machines for the
 * bandwidth, LVS directors for the new connections per second and the connection table's memory,
 * nginx boxes for requests and new connections per second. Each tier is sized by whichever
 * figure binds first, plus one box so the fleet survives losing one (N+1). A model on published
 * numbers, not a measurement: real sizing starts from one's own hardware and traffic mix.
 */
public final class FleetSizing {
    private FleetSizing() {
    }

    /** The load to carry: Gbps, concurrent connections, new connections per second, HTTP requests per second (0: not given). */
    public record Load(double gbps, long connections, double connectionsPerSecond, double requestsPerSecond) {
        public Load {
            if (gbps < 0 || connections < 0 || connectionsPerSecond < 0 || requestsPerSecond < 0) {
                throw new IllegalArgumentException("loads cannot be negative");
            }
            if (gbps == 0 && connections == 0 && connectionsPerSecond == 0 && requestsPerSecond == 0) {
                throw new IllegalArgumentException("give at least one of --gbps, --connections, --cps, --rps");
            }
        }
    }

    /** One tier's answer: boxes for the load, which figure decided it, and the figures used. */
    public record Tier(String kind, long boxes, long withSpare, String boundBy, List<String> steps) {
    }

    /** {@code lvsMemoryGb}: memory per director given to its connection table. */
    public static List<Tier> size(Load load, double lvsMemoryGb) {
        List<Tier> out = new ArrayList<>();
        // Maglev: bandwidth
        {
            List<String> steps = new ArrayList<>();
            long boxes = 0;
            String bound = "-";
            if (load.gbps() > 0) {
                boxes = ceil(load.gbps() / PublishedFigures.MAGLEV_GBPS.value());
                bound = "bandwidth";
                steps.add(String.format(Locale.ROOT, "%.1f Gbps / %.0f Gbps a machine = %d", load.gbps(),
                        PublishedFigures.MAGLEV_GBPS.value(), boxes));
            } else {
                steps.add("no --gbps given");
            }
            out.add(new Tier("maglev", boxes, boxes == 0 ? 0 : boxes + 1, bound, steps));
        }
        // LVS: conn/s and table memory (no published per-box Gbps figure is used)
        {
            List<String> steps = new ArrayList<>();
            long byCps = 0;
            long byMem = 0;
            if (load.connectionsPerSecond() > 0) {
                byCps = ceil(load.connectionsPerSecond() / PublishedFigures.LVS_CPS_TUNED.value());
                steps.add(String.format(Locale.ROOT, "%,.0f new conn/s / 50,000 a tuned director = %d", load.connectionsPerSecond(), byCps));
            }
            if (load.connections() > 0) {
                double bytes = load.connections() * PublishedFigures.LVS_BYTES_PER_CONNECTION.value();
                byMem = ceil(bytes / (lvsMemoryGb * 1024 * 1024 * 1024));
                steps.add(String.format(Locale.ROOT, "%,d connections x 128 bytes = %.2f GB / %.1f GB a director = %d",
                        load.connections(), bytes / (1024.0 * 1024 * 1024), lvsMemoryGb, byMem));
            }
            if (steps.isEmpty()) {
                steps.add("no --cps or --connections given (the LVS FAQ gives no per-box Gbps figure)");
            }
            long boxes = Math.max(byCps, byMem);
            out.add(new Tier("lvs", boxes, boxes == 0 ? 0 : boxes + 1, boxes == 0 ? "-" : byCps >= byMem ? "new connections/s" : "table memory",
                    steps));
        }
        // nginx: req/s and conn/s on a 36-core box
        {
            List<String> steps = new ArrayList<>();
            long byRps = 0;
            long byCps = 0;
            if (load.requestsPerSecond() > 0) {
                byRps = ceil(load.requestsPerSecond() / PublishedFigures.NGINX_RPS_36CPU.value());
                steps.add(String.format(Locale.ROOT, "%,.0f req/s / 3,298,511 a 36-core box (0 KB) = %d", load.requestsPerSecond(), byRps));
            }
            if (load.connectionsPerSecond() > 0) {
                byCps = ceil(load.connectionsPerSecond() / PublishedFigures.NGINX_CPS_32CPU.value());
                steps.add(String.format(Locale.ROOT, "%,.0f new conn/s / 261,033 a 32-core box = %d", load.connectionsPerSecond(), byCps));
            }
            if (steps.isEmpty()) {
                steps.add("no --rps or --cps given");
            }
            long boxes = Math.max(byRps, byCps);
            out.add(new Tier("nginx", boxes, boxes == 0 ? 0 : boxes + 1, boxes == 0 ? "-" : byRps >= byCps ? "requests/s" : "new connections/s",
                    steps));
        }
        return out;
    }

    private static long ceil(double v) {
        return (long) Math.ceil(v - 1e-9);
    }
}
