package dev.flowlab.live;

import java.util.List;

/** Answers that skip the links they came in on (LVS DR: the real server replies to the client directly). */
public record ReturnPath(String from, String to, String bypassed, double requestsPerSecond, List<Sample> samples) {
}
