package dev.flowlab.client;

import dev.flowlab.event.EventBus;
import dev.flowlab.metrics.NodeMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LoadClient} connects: where to ({@code target}, asked per new connection), the Host
 * header, the local address outgoing connections bind to (null: any), timeouts, the keep-alive
 * pool's size, the bound of the queue of requests waiting for a connection, and where to report
 * (the client node's id; {@code events} and {@code metrics} may be null). {@code seed} makes the
 * request mix and trace ids repeatable.
 */
public record LoadClientOptions(Target target, String host, InetSocketAddress sourceAddress, Duration connectTimeout,
                                Duration requestTimeout, int maxConnections, int maxPending, String clientId,
                                EventBus events, NodeMetrics metrics, long seed) {

    public static final String DEFAULT_HOST = "www.taobao.lab";
    public static final int DEFAULT_MAX_PENDING = 10_000;

    public LoadClientOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (maxPending < 0) {
            throw new IllegalArgumentException("maxPending must not be negative");
        }
        host = host == null ? DEFAULT_HOST : host;
        clientId = clientId == null ? "client" : clientId;
    }

    /** The ClientConfig defaults (256 connections, 10 s request timeout, 3 s connect timeout) towards one target. */
    public static LoadClientOptions of(Target target) {
        return new LoadClientOptions(target, DEFAULT_HOST, null, Duration.ofSeconds(3), Duration.ofSeconds(10), 256,
                DEFAULT_MAX_PENDING, "client", null, null, 1);
    }

    public LoadClientOptions withRequestTimeout(Duration value) {
        return new LoadClientOptions(target, host, sourceAddress, connectTimeout, value, maxConnections, maxPending,
                clientId, events, metrics, seed);
    }

    public LoadClientOptions withConnectTimeout(Duration value) {
        return new LoadClientOptions(target, host, sourceAddress, value, requestTimeout, maxConnections, maxPending,
                clientId, events, metrics, seed);
    }

    public LoadClientOptions withMaxConnections(int value) {
        return new LoadClientOptions(target, host, sourceAddress, connectTimeout, requestTimeout, value, maxPending,
                clientId, events, metrics, seed);
    }

    public LoadClientOptions withMaxPending(int value) {
        return new LoadClientOptions(target, host, sourceAddress, connectTimeout, requestTimeout, maxConnections, value,
                clientId, events, metrics, seed);
    }

    public LoadClientOptions withReporting(String id, EventBus bus, NodeMetrics nodeMetrics) {
        return new LoadClientOptions(target, host, sourceAddress, connectTimeout, requestTimeout, maxConnections,
                maxPending, id, bus, nodeMetrics, seed);
    }

    public LoadClientOptions withSeed(long value) {
        return new LoadClientOptions(target, host, sourceAddress, connectTimeout, requestTimeout, maxConnections,
                maxPending, clientId, events, metrics, value);
    }
}
