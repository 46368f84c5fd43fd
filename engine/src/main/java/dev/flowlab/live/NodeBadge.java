package dev.flowlab.live;

/**
 * What a node's badge shows: its state (running, stopped, killed...), its HA role when it has one
 * (master, backup, fault), its figures, and who marked it down (a balancer's passive health or a
 * director's checker), if anyone did.
 */
public record NodeBadge(String node, String kind, String state, String role, double rps, int connections,
                        double p99Ms, double errorRate, String markedDownBy) {

    /** The word on the badge: down beats role beats state. */
    public String headline() {
        if (!"running".equals(state)) {
            return state;
        }
        if (markedDownBy != null) {
            return "marked down";
        }
        return role != null ? role : state;
    }
}
