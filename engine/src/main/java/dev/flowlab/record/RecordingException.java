package dev.flowlab.record;

/** A file that is not a recording this version can read; the message says why, for a person. */
public final class RecordingException extends Exception {
    public RecordingException(String message) {
        super(message);
    }

    public RecordingException(String message, Throwable cause) {
        super(message, cause);
    }
}
