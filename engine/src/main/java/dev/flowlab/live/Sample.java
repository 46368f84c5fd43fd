package dev.flowlab.live;

/** One real request seen on a link: a particle the view may draw, and can follow by its trace id. */
public record Sample(String traceId, TrafficKind kind, Outcome outcome, int status, long latencyNanos) {
}
