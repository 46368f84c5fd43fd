package dev.flowlab.net.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle-connection cache's own bookkeeping, on embedded channels (one loop each). */
class KeepalivePoolTest {

    @Test
    void keepaliveRequests_theConnectionIsKeptUntilItsLastAllowedRequest() {
        KeepalivePool pool = new KeepalivePool(4, 0, 3);
        EmbeddedChannel ch = new EmbeddedChannel();
        assertThat(pool.countRequest(ch)).as("request 1 of 3").isTrue();
        assertThat(pool.countRequest(ch)).as("request 2 of 3").isTrue();
        assertThat(pool.countRequest(ch)).as("request 3 of 3: close after it").isFalse();
        assertThat(pool.countRequest(new EmbeddedChannel())).as("another connection counts on its own").isTrue();
    }

    @Test
    void aReleasedConnectionIsTakenBackForItsServer_andTheIdleTimerClosesItWhenUnused() {
        KeepalivePool pool = new KeepalivePool(4, TimeUnit.SECONDS.toNanos(60), 100);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        pool.release(ch);
        assertThat(pool.idleCount()).isEqualTo(1);
        assertThat(pool.take(ch.eventLoop(), ch.remoteAddress())).isSameAs(ch);
        assertThat(pool.idleCount()).isZero();

        pool.release(ch);
        ch.advanceTimeBy(59, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("idle 59 s of keepalive_timeout 60 s").isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("idle past keepalive_timeout").isFalse();
        assertThat(pool.idleCount()).isZero();
    }
}
