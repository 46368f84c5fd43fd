package dev.flowlab.tier.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    private final List<String> granted = new ArrayList<>();

    private WorkerPool.Waiter waiter(String name) {
        return () -> granted.add(name);
    }

    @Test
    void permitsUpToMaxThreads_thenFifoQueue() {
        WorkerPool pool = new WorkerPool(2, 10);
        assertThat(pool.acquireOrEnqueue(waiter("a"))).isEqualTo(WorkerPool.GRANTED);
        assertThat(pool.acquireOrEnqueue(waiter("b"))).isEqualTo(WorkerPool.GRANTED);
        assertThat(pool.acquireOrEnqueue(waiter("c"))).isEqualTo(1);
        assertThat(pool.acquireOrEnqueue(waiter("d"))).isEqualTo(2);
        assertThat(pool.busy()).isEqualTo(2);
        assertThat(pool.queued()).isEqualTo(2);

        pool.release();
        pool.release();

        assertThat(granted).containsExactly("c", "d");
        assertThat(pool.busy()).as("permits handed over, not returned").isEqualTo(2);
        assertThat(pool.queued()).isZero();
        pool.release();
        pool.release();
        assertThat(pool.busy()).isZero();
        assertThat(pool.peakBusy()).isEqualTo(2);
        assertThat(pool.peakQueued()).isEqualTo(2);
    }

    @Test
    void aLaterRequestNeverOvertakesAWaitingOne() {
        WorkerPool pool = new WorkerPool(1, 10);
        pool.acquireOrEnqueue(waiter("a"));
        pool.acquireOrEnqueue(waiter("b"));
        pool.release();
        assertThat(granted).containsExactly("b");
        assertThat(pool.acquireOrEnqueue(waiter("c"))).as("b holds the only permit").isEqualTo(1);
    }

    @Test
    void cancelledWaiterIsSkipped_andAFullQueueRejects() {
        WorkerPool pool = new WorkerPool(1, 2);
        pool.acquireOrEnqueue(waiter("a"));
        WorkerPool.Waiter b = waiter("b");
        pool.acquireOrEnqueue(b);
        pool.acquireOrEnqueue(waiter("c"));
        assertThat(pool.acquireOrEnqueue(waiter("d"))).isEqualTo(WorkerPool.REJECTED);
        assertThat(pool.cancel(b)).isTrue();
        pool.release();
        assertThat(granted).containsExactly("c");
        assertThat(pool.cancel(b)).isFalse();
    }
}
