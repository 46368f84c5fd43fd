package dev.flowlab.lesson;

/**
 * Where a check stands: still {@link Status#WAITING} (with what it waits for), {@link Status#PASSED}
 * with the measured figure, or {@link Status#FAILED} with the figure and a hint at what to look at.
 */
public record CheckState(Status status, String figure, String hint) {
    public enum Status { WAITING, PASSED, FAILED }

    public static CheckState waiting(String figure) {
        return new CheckState(Status.WAITING, figure, null);
    }

    public static CheckState passed(String figure) {
        return new CheckState(Status.PASSED, figure, null);
    }

    public static CheckState failed(String figure, String hint) {
        return new CheckState(Status.FAILED, figure, hint);
    }

    public boolean isFinal() {
        return status != Status.WAITING;
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    /** "passed: 0 of 2,431 GET failed in the 5 s after the kill". */
    @Override
    public String toString() {
        return status.name().toLowerCase(java.util.Locale.ROOT) + ": " + figure + (hint == null ? "" : " (hint: " + hint + ")");
    }
}
