package dev.flowlab.cli;

/** The headless `lab` command line (serve, run, validate). Being built. */
public final class LabCli {
    private LabCli() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command; returns the process exit status (0 ok, 1 failure, 2 bad input). */
    public static int execute(String... args) {
        System.err.println("lab: the command line is being built");
        return 1;
    }
}
