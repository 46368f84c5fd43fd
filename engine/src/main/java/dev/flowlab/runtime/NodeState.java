package dev.flowlab.runtime;

/** A node's lifecycle state; lower case in outputs. */
public enum NodeState {
    STOPPED, STARTING, RUNNING, STOPPING, KILLED, FAILED;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isUp() {
        return this == RUNNING;
    }
}
