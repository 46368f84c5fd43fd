package dev.flowlab.live;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.client.LoadClient;
import dev.flowlab.client.RunResult;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine never waits for the view: events are published far faster than a stalled view drains
 * them, the bus drops and counts, and the lab's traffic goes on untouched.
 */
class EventFloodTest {

    @Test
    void aStalledConsumer_losesEvents_countedByTheBus_whilePublishersNeverBlock() throws Exception {
        EventBus bus = new EventBus();
        EventBus.Subscription stalled = bus.subscribe(1024);
        int perThread = 500_000;
        Thread[] publishers = new Thread[2];
        for (int t = 0; t < publishers.length; t++) {
            publishers[t] = new Thread(() -> {
                LabEvent e = LabEvent.of(EventType.RESPONSE_RETURNED, "nginx-1", new Fact.Note("flood"));
                for (int i = 0; i < perThread; i++) {
                    bus.publish(e);
                }
            });
            publishers[t].start();
        }
        for (Thread p : publishers) {
            p.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(p.isAlive()).as("a publisher blocked").isFalse();
        }
        assertThat(bus.published()).isEqualTo(2L * perThread);
        assertThat(stalled.dropped()).isEqualTo(2L * perThread - 1024);
        assertThat(bus.dropped()).isEqualTo(stalled.dropped());
        stalled.close();
    }

    @Test
    void aLabUnderTraffic_withAStalledView_andAnEventFlood_servesEveryRequest_andCountsTheLoss() throws Exception {
        try (Lab lab = Stack.lab(LiveScenarios.nginxTomcats(2, 400))) {
            lab.start();
            CountDownLatch release = new CountDownLatch(1);
            try (LinkActivity view = new LinkActivity(lab); LoadClient client = LoadClient.forLab(lab, "client")) {
                // The view's own thread hangs in its listener, as a frozen UI would: nothing drains its queue.
                view.subscribe(frame -> awaitQuietly(release));
                Thread flood = new Thread(() -> {
                    LabEvent e = LabEvent.of(EventType.RESPONSE_RETURNED, "nginx-1", new Fact.Note("flood"));
                    while (!Thread.currentThread().isInterrupted()) {
                        lab.events().publish(e);
                    }
                }, "event-flood");
                flood.setDaemon(true);
                flood.start();
                try {
                    client.start(LiveScenarios.traffic(400), Duration.ofSeconds(2));
                    await("the run's 800 requests answered").atMost(Duration.ofSeconds(20)).until(
                            () -> client.result().sent() >= 800 && client.result().inFlight() == 0);
                } finally {
                    flood.interrupt();
                    flood.join(5_000);
                }
                RunResult r = client.result();
                assertThat(r.failed()).as("requests failed under the flood: %s", r.errors()).isZero();
                assertThat(r.ok()).isEqualTo(r.requests());
                assertThat(view.dropped()).as("the view's lost events are counted").isGreaterThan(LinkActivity.CAPACITY);
                assertThat(lab.events().published()).isGreaterThan(view.dropped());
            } finally {
                release.countDown();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
