package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event log's filters and search, without the toolkit. */
class EventLogModelTest {

    @Test
    void filtersByNodeKindSeverityAndSearch_newestFirst() {
        EventLogModel log = new EventLogModel(0);
        log.add(List.of(
                new LabEvent(1_000_000, EventType.RESPONSE_RETURNED, "nginx-1", "tomcat-1", "a", 200, 0, new Fact.Answered("GET", "/", 200, "tomcat-1", null)),
                new LabEvent(2_000_000, EventType.NODE_KILLED, "tomcat-2", null, null, 0, 0, new Fact.Note("killed")),
                new LabEvent(3_000_000, EventType.SERVER_DOWN, "nginx-1", "tomcat-2", null, 0, 0,
                        new Fact.ServerDown("upstream backend", "tomcat-2", 1, 0, "upstream backend: server tomcat-2 is down"))));

        assertThat(log.shown()).extracting(r -> r.event().type()).containsExactly(EventType.SERVER_DOWN, EventType.NODE_KILLED,
                EventType.RESPONSE_RETURNED);
        log.nodeProperty().set("tomcat-2");
        assertThat(log.shown()).hasSize(2);
        log.kindProperty().set(EventType.NODE_KILLED);
        assertThat(log.shown()).singleElement().satisfies(r -> assertThat(r.severity()).isEqualTo(EventLogModel.Severity.ERROR));
        log.kindProperty().set(null);
        log.nodeProperty().set(EventLogModel.ANY);
        log.minimumSeverityProperty().set(EventLogModel.Severity.ERROR);
        assertThat(log.shown()).hasSize(2);
        log.minimumSeverityProperty().set(EventLogModel.Severity.INFO);
        log.searchProperty().set("IS DOWN");
        assertThat(log.shown()).singleElement().satisfies(r -> assertThat(r.event().type()).isEqualTo(EventType.SERVER_DOWN));
    }

    @Test
    void startRun_dropsTheLastRunsRows_andCountsFromTheRunsStart() {
        EventLogModel log = new EventLogModel(0);
        log.add(List.of(new LabEvent(9_000_000_000L, EventType.NODE_KILLED, "tomcat-1", null, null, 0, 0, new Fact.Note("killed"))));
        log.flush();
        assertThat(log.shown()).singleElement().satisfies(r -> assertThat(r.tMillis()).isEqualTo(9_000));

        log.startRun(20_000_000_000L);
        assertThat(log.shown()).isEmpty();
        log.add(List.of(new LabEvent(20_250_000_000L, EventType.NODE_KILLED, "tomcat-2", null, null, 0, 0, new Fact.Note("killed"))));
        log.flush();
        assertThat(log.shown()).singleElement().satisfies(r -> {
            assertThat(r.event().node()).isEqualTo("tomcat-2");
            assertThat(r.tMillis()).isEqualTo(250);
        });
    }

    @Test
    void rowsArePublishedInBatches_notOnEveryFrame() {
        long[] now = {0};
        EventLogModel log = new EventLogModel(0, () -> now[0]);
        log.add(List.of(new LabEvent(1_000_000, EventType.NODE_KILLED, "tomcat-1", null, null, 0, 0, new Fact.Note("killed"))));
        assertThat(log.shown()).hasSize(1);
        // The next frame, a tenth of a second later: taken, shown with the next batch.
        now[0] += 100_000_000L;
        log.add(List.of(new LabEvent(2_000_000, EventType.NODE_STARTED, "tomcat-1", null, null, 0, 0, new Fact.Note("started")),
                new LabEvent(3_000_000, EventType.SERVER_UP, "nginx-1", "tomcat-1", null, 0, 0, new Fact.ServerUp("upstream backend", "tomcat-1", "up"))));
        assertThat(log.shown()).hasSize(1);
        now[0] += 200_000_000L;
        log.add(List.of());
        assertThat(log.shown()).hasSize(3);
        log.add(List.of(new LabEvent(4_000_000, EventType.NODE_KILLED, "tomcat-2", null, null, 0, 0, new Fact.Note("killed"))));
        log.flush();
        assertThat(log.shown()).extracting(r -> r.event().type())
                .containsExactly(EventType.NODE_KILLED, EventType.SERVER_UP, EventType.NODE_STARTED, EventType.NODE_KILLED);
    }
}
