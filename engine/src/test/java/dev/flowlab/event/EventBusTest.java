package dev.flowlab.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBusTest {
    @Test
    void aSubscriberThatNeverDrains_losesEventsAndTheyAreCounted_publisherNeverBlocks() {
        EventBus bus = new EventBus();
        EventBus.Subscription slow = bus.subscribe(1024);
        for (int i = 0; i < 1_000_000; i++) {
            bus.publish(new LabEvent(i, EventType.REQUEST_RECEIVED, "n", null, null, 0, 0, null));
        }
        assertThat(bus.published()).isEqualTo(1_000_000);
        assertThat(slow.dropped()).isEqualTo(1_000_000 - 1024);
        assertThat(bus.dropped()).isEqualTo(slow.dropped());
        List<LabEvent> got = new ArrayList<>();
        assertThat(slow.drain(got::add, 10_000)).isEqualTo(1024);
        assertThat(got.get(0).nanos()).as("the oldest events are kept, newer ones dropped").isZero();
    }

    @Test
    void filteredSubscriptionsSeeOnlyTheirEvents_closedOnesNothing() {
        EventBus bus = new EventBus();
        EventBus.Subscription kills = bus.subscribe(16, e -> e.type() == EventType.NODE_KILLED);
        EventBus.Subscription all = bus.subscribe(16);
        bus.publish(LabEvent.of(EventType.REQUEST_RECEIVED, "a", null));
        bus.publish(LabEvent.of(EventType.NODE_KILLED, "a", null));
        all.close();
        bus.publish(LabEvent.of(EventType.NODE_KILLED, "b", null));
        assertThat(kills.drain(e -> { }, 100)).isEqualTo(2);
        assertThat(all.drain(e -> { }, 100)).isEqualTo(2);
        assertThat(bus.hasSubscribers()).isTrue();
        kills.close();
        assertThat(bus.hasSubscribers()).isFalse();
    }
}
