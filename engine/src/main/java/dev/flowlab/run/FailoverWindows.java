package dev.flowlab.run;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.LabEvent;
import dev.flowlab.ha.Failover;
import dev.flowlab.ha.VrrpGroup;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.HaGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a run's VIP takeovers into its report: each with its detection and takeover times, the
 * formula's {@code master_down_interval}, and the client failures inside its window (from the loss
 * of the old master to the VIP bound again, plus {@link #GRACE} for answers already on their way);
 * failures outside every window are counted apart, so "nothing else failed" can be checked.
 */
final class FailoverWindows {
    /** Requests sent just before the VIP came back fail or answer a little after it. */
    static final Duration GRACE = Duration.ofMillis(250);

    private FailoverWindows() {
    }

    static RunReport add(RunReport report, Lab lab, EventBus.Subscription failures, long t0) {
        List<Long> failedAt = new ArrayList<>();
        LabEvent e;
        while ((e = failures.poll()) != null) {
            if (e.nanos() >= t0) {
                failedAt.add(e.nanos());
            }
        }
        List<RunReport.Failover> out = new ArrayList<>();
        List<long[]> windows = new ArrayList<>();
        for (Failover f : dev.flowlab.ha.HighAvailability.of(lab).failovers()) {
            if (f.lostNanos() < t0) {
                continue;
            }
            long end = f.settledNanos() + GRACE.toNanos();
            windows.add(new long[] {f.lostNanos(), end});
            long inWindow = failedAt.stream().filter(n -> n >= f.lostNanos() && n <= end).count();
            VrrpGroup g = dev.flowlab.ha.HighAvailability.of(lab).group(f.group()).orElseThrow();
            // The formula says how long a backup waits for a silent master (a killed host or keepalived
            // process) and how long a starting member waits before it preempts; a resignation (priority
            // 0: graceful stop, FAULT) waits only the skew, and the address owner waits for nothing.
            boolean waitedTheInterval = f.cause().equals("killed") || f.cause().equals("keepalived killed")
                    || (f.preemption() && g.priorityOf(f.to()) < 255);
            Double formula = !waitedTheInterval ? null
                    : round(HaGroup.masterDownInterval(g.advertInt(), g.priorityOf(f.to()), g.vrrpVersion()).toNanos() / 1e6);
            out.add(new RunReport.Failover(f.group(), f.from(), f.to(), f.cause(), ms(f.lostNanos() - t0),
                    ms(f.detectedNanos() - t0), ms(f.vipBoundNanos() - t0), round(f.detectionMs()), round(f.takeoverMs()),
                    ms(f.waitStartNanos() - t0), round(f.waitMs()), formula, ms(end - t0), inWindow));
        }
        // When the bus dropped failure events the count would be a guess: leave it out.
        Long outside = failures.dropped() > 0 ? null
                : failedAt.stream().filter(n -> windows.stream().noneMatch(w -> n >= w[0] && n <= w[1])).count();
        return report.withFailovers(out, outside);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000L;
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
