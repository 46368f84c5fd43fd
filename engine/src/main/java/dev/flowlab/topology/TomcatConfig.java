package dev.flowlab.topology;

import java.time.Duration;

/**
 * Tomcat's NIO connector, with Tomcat's own attribute names and defaults (shared/FIDELITY.md).
 * Workers are permits held only while a request is processed; idle keep-alive connections hold
 * none.
 */
public record TomcatConfig(
        @Param(def = "200", unit = "threads", min = 1, max = 100_000,
                doc = "maxThreads: the most requests processed at once; more wait in the queue")
        Integer maxThreads,
        @Param(def = "10", unit = "threads", min = 0, max = 100_000,
                doc = "minSpareThreads: threads kept alive while idle (shown for fidelity; the lab's workers are permits)")
        Integer minSpareThreads,
        @Param(def = "100", unit = "connections", min = 1, max = 65_535,
                doc = "acceptCount: the OS accept queue (listen backlog) used once maxConnections is reached")
        Integer acceptCount,
        @Param(def = "8192", unit = "connections", min = 1, max = 1_000_000,
                doc = "maxConnections: connections accepted and processed; at the limit the acceptor stops")
        Integer maxConnections,
        @Param(def = "60s", unit = "duration", min = 0,
                doc = "connectionTimeout: a new connection must send its request line within this (Tomcat's default 60s; its shipped server.xml sets 20s)")
        Duration connectionTimeout,
        @Param(def = "", unit = "duration", min = 0,
                doc = "keepAliveTimeout: an idle keep-alive connection is closed after this; unset means connectionTimeout. A client that asks for keep-alive is told it in whole seconds (Keep-Alive: timeout=N)")
        Duration keepAliveTimeout,
        @Param(def = "100", unit = "requests", min = -1, max = 1_000_000,
                doc = "maxKeepAliveRequests: requests on one connection before Tomcat closes it (the last response says Connection: close); -1 unlimited, 1 disables keep-alive")
        Integer maxKeepAliveRequests,
        @Param(doc = "How long a request holds a worker (the application's own work)")
        ServiceTime serviceTime,
        @Param(def = "", doc = "Directory of static files served under /static/ (default: the demo shop site in assets/site)")
        String docBase) implements NodeConfig {

    public static final TomcatConfig EMPTY = new TomcatConfig(null, null, null, null, null, null, null, null, null);

    @Override
    public NodeKind kind() {
        return NodeKind.TOMCAT;
    }

    /** keepAliveTimeout as Tomcat resolves it: unset means connectionTimeout. Call on effective config. */
    public Duration effectiveKeepAliveTimeout() {
        return keepAliveTimeout != null ? keepAliveTimeout : connectionTimeout;
    }

    public TomcatConfig withMaxThreads(Integer value) {
        return new TomcatConfig(value, minSpareThreads, acceptCount, maxConnections, connectionTimeout,
                keepAliveTimeout, maxKeepAliveRequests, serviceTime, docBase);
    }

    public TomcatConfig withServiceTime(ServiceTime value) {
        return new TomcatConfig(maxThreads, minSpareThreads, acceptCount, maxConnections, connectionTimeout,
                keepAliveTimeout, maxKeepAliveRequests, value, docBase);
    }
}
