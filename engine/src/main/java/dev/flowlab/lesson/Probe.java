package dev.flowlab.lesson;

/**
 * A request a check sends itself, as a learner would with curl: {@code curl -A USER_AGENT PATH}
 * through the lab's entry. The trace id travels in X-Lab-Trace, so the hops' events about it are
 * found by id.
 */
public record Probe(String traceId, String method, String path, String userAgent) {
}
