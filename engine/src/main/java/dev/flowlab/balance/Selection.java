package dev.flowlab.balance;

import java.util.BitSet;

/**
 * One request's walk through a {@link PeerGroup}: which servers it tried (nginx's {@code tried}
 * bitmap), whether it moved on to the backups, how many tries remain ({@code pc->tries}), and the
 * hash state that makes a retry continue from where the last pick stopped. Confined to the thread
 * handling the request.
 */
public final class Selection {
    final BitSet tried = new BitSet();
    final byte[] clientAddress;
    final String key;
    boolean onBackups;
    int tries;
    Peer current;
    /** ip_hash: nginx seeds 89 and keeps the hash between picks of one request. */
    int ipHash = 89;
    int hashTries;
    /** hash: the running sum of CRC-derived values and the rehash counter. */
    long hashSum;
    int rehash;
    /** hash consistent: the index into the ketama points, advanced on each miss. */
    long pointIndex = -1;
    /** Why the last pick chose what it chose, for events: "rr", "ip_hash 127.0.0 -> 4711", ... */
    String lastReason = "";
    /** Set by a caller that will explain this request's choice: each pick then keeps the servers' state it chose from. */
    boolean explain;
    java.util.List<PeerStatus> lastState = java.util.List.of();

    Selection(byte[] clientAddress, String key, int tries) {
        this.clientAddress = clientAddress;
        this.key = key;
        this.tries = tries;
    }

    /** Tries left (nginx's {@code pc->tries}); 0 means no retry is allowed. */
    public int triesLeft() {
        return tries;
    }

    /**
     * nginx's {@code u->peer.tries++} after an error on a cached keepalive connection: the server
     * had closed it, so the attempt does not use up a try.
     */
    public void giveTryBack() {
        tries++;
    }

    /**
     * Asks every following pick of this request to keep the balancer's state as it chose (see
     * {@link #lastState()}); off by default, so untraced requests pay nothing.
     */
    public void explain() {
        explain = true;
    }

    /** Turns the keeping of the state on or off for the next picks (a selection reused across requests). */
    public void explain(boolean on) {
        explain = on;
        if (!on) {
            lastState = java.util.List.of();
        }
    }

    /**
     * The servers as the last pick saw them, when {@link #explain()} was asked (else empty): for
     * smooth weighted round-robin their current weights after this pick's increment and before the
     * winner gave back the total; for least_conn their connections before the pick.
     */
    public java.util.List<PeerStatus> lastState() {
        return lastState;
    }

    /** How the last pick was made (algorithm, hash value, fallbacks). */
    public String reason() {
        return lastReason;
    }

    /** The server chosen by the last pick and not yet freed, or null. */
    public Peer current() {
        return current;
    }

    public boolean onBackups() {
        return onBackups;
    }
}
