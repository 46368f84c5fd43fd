package dev.flowlab.scale;

import java.util.List;

/**
 * What one real box of a kind is documented to carry, with the source, so the lab can set its
 * own measurements (one JVM on loopback) next to them and never pass them off as its own. Each
 * figure is exactly as published, on the hardware the source names; the calculator reads them.
 */
public final class PublishedFigures {
    private PublishedFigures() {
    }

    /** One published figure: what it measures, its value and unit, on what, and where it is published. */
    public record Figure(String kind, String what, double value, String unit, String hardware, String source) {
        public String line() {
            return String.format(java.util.Locale.ROOT, "%s: %s %s %s (%s; published figure: %s)",
                    kind, what, format(value), unit, hardware, source);
        }

        private static String format(double v) {
            return v == Math.rint(v) ? String.format(java.util.Locale.ROOT, "%,d", (long) v) : Double.toString(v);
        }
    }

    public static final String LVS_FAQ = "LVS FAQ, kb.linux-vs.org/wiki/FAQ (Performance)";
    public static final String NGINX_WEB = "NGINX blog, 'Testing the Performance of NGINX and NGINX Plus Web Servers' (2017)";
    public static final String MAGLEV = "Eisenbud et al., 'Maglev: A Fast and Reliable Software Network Load Balancer', NSDI 2016 (abstract)";

    /** LVS/DR new connections per second on an ordinary box. */
    public static final Figure LVS_CPS_ORDINARY = new Figure("lvs", "new connections/s, LVS/DR, web service", 10_000, "conn/s",
            "one Pentium III, 100 Mbps NIC", LVS_FAQ);
    /** LVS new connections per second on a tuned box. */
    public static final Figure LVS_CPS_TUNED = new Figure("lvs", "new connections/s", 50_000, "conn/s",
            "'a powerful box with good hardware and kernel tuning'", LVS_FAQ);
    /** What one IPVS connection entry costs. */
    public static final Figure LVS_BYTES_PER_CONNECTION = new Figure("lvs", "memory per connection entry", 128, "bytes",
            "any; 1 GB holds more than 8 million connections", LVS_FAQ);
    /** nginx as a web server, 0 KB responses over 50 keep-alive connections, one core. */
    public static final Figure NGINX_RPS_1CPU = new Figure("nginx", "HTTP requests/s, 0 KB responses", 145_551, "req/s",
            "1 worker on 2x Xeon E5-2699 v3, 40 GbE", NGINX_WEB);
    /** The same on 36 cores. */
    public static final Figure NGINX_RPS_36CPU = new Figure("nginx", "HTTP requests/s, 0 KB responses", 3_298_511, "req/s",
            "36 workers on 2x Xeon E5-2699 v3, 40 GbE", NGINX_WEB);
    /** New HTTP connections per second on 32 cores (its peak; 36 cores gave no more). */
    public static final Figure NGINX_CPS_32CPU = new Figure("nginx", "new HTTP connections/s, 0-byte responses", 261_033, "conn/s",
            "32 workers on 2x Xeon E5-2699 v3", NGINX_WEB);
    /** One Maglev machine. */
    public static final Figure MAGLEV_GBPS = new Figure("maglev", "line rate, small packets", 10, "Gbps",
            "one Maglev machine, 10 Gbps NIC ('capable of saturating a 10Gbps link with small packets')", MAGLEV);

    public static List<Figure> all() {
        return List.of(LVS_CPS_ORDINARY, LVS_CPS_TUNED, LVS_BYTES_PER_CONNECTION, NGINX_RPS_1CPU, NGINX_RPS_36CPU, NGINX_CPS_32CPU,
                MAGLEV_GBPS);
    }

    public static List<Figure> of(String kind) {
        return all().stream().filter(f -> f.kind().equals(kind)).toList();
    }
}
