package dev.flowlab.runtime;

/** A node could not start: the message names the node and, for a bind failure, the address. */
public class LabStartException extends RuntimeException {
    private final String nodeId;

    public LabStartException(String nodeId, String message, Throwable cause) {
        super(message, cause);
        this.nodeId = nodeId;
    }

    public String nodeId() {
        return nodeId;
    }
}
