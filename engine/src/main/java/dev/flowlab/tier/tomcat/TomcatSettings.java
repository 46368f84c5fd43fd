package dev.flowlab.tier.tomcat;

import dev.flowlab.topology.Params;
import dev.flowlab.topology.TomcatConfig;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * The connector's effective settings, resolved once from a node's {@link TomcatConfig} with
 * Tomcat's defaults filled in. Timeouts of zero or less mean "no timeout", as in Tomcat.
 */
record TomcatSettings(
        int maxThreads,
        int acceptCount,
        int maxConnections,
        long connectionTimeoutNanos,
        long keepAliveTimeoutNanos,
        int maxKeepAliveRequests,
        ServiceTimeModel serviceTime,
        Path docBase) {

    /** Tomcat's maxHttpHeaderSize default: request line and headers together must fit in 8 KB. */
    static final int MAX_HTTP_HEADER_SIZE = 8192;
    /** Tomcat's maxPostSize and maxSwallowSize default (2 MB): a larger body is refused with 413. */
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    static TomcatSettings from(TomcatConfig config, Path siteRoot) {
        TomcatConfig c = Params.withDefaults(config == null ? TomcatConfig.EMPTY : config);
        Path docBase = c.docBase() == null || c.docBase().isBlank() ? siteRoot : Paths.get(c.docBase());
        return new TomcatSettings(c.maxThreads(), c.acceptCount(), c.maxConnections(),
                nanos(c.connectionTimeout()), nanos(c.effectiveKeepAliveTimeout()), c.maxKeepAliveRequests(),
                new ServiceTimeModel(c.serviceTime()), docBase.toAbsolutePath().normalize());
    }

    private static long nanos(Duration d) {
        return d == null ? 0 : d.toNanos();
    }

    /**
     * Whether the connection may stay open after its {@code requestNumber}-th request, as Tomcat
     * decides it: 1 disables keep-alive, -1 (or any value below 1) means unlimited.
     */
    boolean keepAliveAllowedAfter(int requestNumber) {
        if (maxKeepAliveRequests == 1) {
            return false;
        }
        return maxKeepAliveRequests <= 0 || requestNumber < maxKeepAliveRequests;
    }
}
