package dev.flowlab.runtime;

import java.util.List;

/** A router node that spreads flows over equal-cost next hops (ECMP), as reports and the live view read it. */
public interface EcmpRouterNode {
    /** Every next hop it links to, live or not. */
    List<String> nextHops();

    long flowsHashed();

    long flowsRehashed();

    long nextHopsLost();
}
