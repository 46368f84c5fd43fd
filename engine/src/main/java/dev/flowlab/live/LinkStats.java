package dev.flowlab.live;

import java.util.List;

/**
 * A link's traffic over the last second: requests per second, the share rejected and failed,
 * the connections open on it, the mean latency seen across it, and a few sampled requests. When
 * {@code responsesBypass} is set (LVS direct routing) answers do not travel back along this link:
 * see {@link ActivityFrame#directReturns()}.
 */
public record LinkStats(String from, String to, double requestsPerSecond, double errorShare, double rejectionShare,
                        int openConnections, double latencyMs, boolean measured, boolean responsesBypass,
                        List<Sample> samples) {
}
