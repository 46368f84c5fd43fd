package dev.flowlab.event;

/** What happened. Names are lower case in JSON outputs ({@link #id()}). */
public enum EventType {
    NODE_STARTED, NODE_STOPPED, NODE_KILLED, NODE_STATE,
    CONNECTION_OPENED, CONNECTION_CLOSED, CONNECTION_REFUSED,
    REQUEST_RECEIVED, REQUEST_QUEUED, REQUEST_FORWARDED, RESPONSE_RETURNED,
    /** A Tomcat worker took a request: the pool's occupancy, the queue wait and the (modelled) service time; only for a watched trace. */
    WORKER_ASSIGNED,
    REJECTED, ERROR, TIMEOUT,
    DNS_QUERY, DNS_ANSWER,
    HEALTH_CHECK, SERVER_DOWN, SERVER_UP, UPSTREAM_CHOSEN, RETRY,
    CACHE_HIT, CACHE_MISS,
    /** A gateway filter's decision for one request (detail: the filter's name and what it decided). */
    FILTER,
    /** A circuit breaker changed state (CLOSED, OPEN, HALF_OPEN). */
    CIRCUIT_STATE,
    VIP_MOVED, VRRP_ADVERT, HA_STATE,
    /** A router's ECMP moved a flow to another next hop (a balancer went away or came back). */
    FLOW_REHASHED,
    /** A flow moved to a balancer without its connection-tracking entry kept its backend: the TCP connection lives on. */
    CONNECTION_SURVIVED,
    /** A flow moved to a balancer without its connection-tracking entry was reset (no entry, or another backend). */
    CONNECTION_BROKEN,
    FAULT_APPLIED, FAULT_CLEARED,
    CLIENT_REQUEST, CLIENT_RESPONSE, CLIENT_ERROR,
    /** Headers of a request or response at one hop, emitted only for a trace someone asked for ({@link TraceMarks}). */
    TRACE_HEADERS,
    /** An RPC frame as it crossed the wire at one hop (fields and first bytes), only for a watched trace. */
    TRACE_FRAME;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
