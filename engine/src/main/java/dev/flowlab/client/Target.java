package dev.flowlab.client;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where the client's next connection goes. Asked once per new connection (never per request), so
 * a resolver that honours a DNS record's TTL can plug in here and clients stick to one address
 * until the answer expires, as real browsers do.
 */
@FunctionalInterface
public interface Target {
    CompletableFuture<InetSocketAddress> next();

    static Target fixed(InetSocketAddress address) {
        CompletableFuture<InetSocketAddress> done = CompletableFuture.completedFuture(address);
        return () -> done;
    }

    /**
     * The address the supplier gives at connect time (a lab node's current address); no address
     * yet counts as a refused connection, which is what a client of a server that is not up sees.
     */
    static Target current(String description, Supplier<InetSocketAddress> address) {
        return () -> {
            InetSocketAddress a = address.get();
            return a != null ? CompletableFuture.completedFuture(a)
                    : CompletableFuture.failedFuture(new ConnectException(description + " has no address"));
        };
    }
}
