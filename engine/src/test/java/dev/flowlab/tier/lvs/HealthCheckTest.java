package dev.flowlab.tier.lvs;

import dev.flowlab.testing.TestLabs;
import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.HealthCheck;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.Params;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** keepalived's real-server checks against live nodes: down after the retries, back up after a pass. */
class HealthCheckTest {
    private final HttpStubTier httpStub = new HttpStubTier();
    private final TestLabs stub = LvsScenarios.stubNginx(httpStub);

    private static HealthCheck fast(String type) {
        return new HealthCheck(type, Duration.ofMillis(100), Duration.ofMillis(300), 1, Duration.ofMillis(50), null, "/health", null);
    }

    @Test
    void defaults_areKeepalivedsOwn() {
        HealthCheck d = Params.withDefaults(HealthCheck.DEFAULT);
        assertThat(d.delayLoop()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.retry()).isEqualTo(1);
        assertThat(d.delayBeforeRetry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.inhibitOnFailure()).isFalse();
        LvsConfig lvs = Params.withDefaults(LvsConfig.EMPTY);
        assertThat(lvs.scheduler()).isEqualTo("wlc");
        assertThat(lvs.mode()).isEqualTo("dr");
        assertThat(lvs.persistenceTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(lvs.mhTableSize()).isEqualTo(4093);
    }

    @Test
    void tcpCheck_killedServerLeavesThePoolAfterItsRetry_newConnectionsGoElsewhere_restartBringsItBack() throws Exception {
        for (String mode : List.of("nat", "dr")) {
            LvsConfig cfg = LvsConfig.of(mode, "rr").withHealthCheck(fast("TCP_CHECK"));
            try (Lab lab = stub.lab(LvsScenarios.director(cfg, 2))) {
                EventBus.Subscription events = lab.events().subscribe(4096,
                        e -> e.type() == EventType.SERVER_DOWN || e.type() == EventType.SERVER_UP || e.type() == EventType.HEALTH_CHECK);
                lab.start();
                LvsDirector lvs = (LvsDirector) lab.node("lvs").orElseThrow();
                InetSocketAddress vip = lab.address("lvs");
                List<LabEvent> early = new ArrayList<>();
                await("first checks pass").atMost(Duration.ofSeconds(5)).until(
                        () -> count(events, early, EventType.HEALTH_CHECK, "ok") >= 2);

                lab.kill("nginx-2").get(5, TimeUnit.SECONDS);
                List<LabEvent> seen = new ArrayList<>();
                LabEvent down = await(mode + ": SERVER_DOWN for nginx-2").atMost(Duration.ofSeconds(5)).until(
                        () -> next(events, seen, EventType.SERVER_DOWN), e -> e != null);
                assertThat(down.peer()).isEqualTo("nginx-2");
                assertThat(seen.stream().filter(e -> e.type() == EventType.HEALTH_CHECK && "nginx-2".equals(e.peer())
                        && e.fact() instanceof Fact.HealthChecked h && !h.ok()).count()).as("the first failure is retried once").isGreaterThanOrEqualTo(2);
                assertThat(lvs.isRealServerUp("nginx-2")).isFalse();
                assertThat(lvs.realServers().get(1).inPool()).isFalse();
                for (int i = 0; i < 6; i++) {
                    assertThat(Http.servedBy(vip)).isEqualTo("nginx-1");
                }

                lab.startNode("nginx-2").get(5, TimeUnit.SECONDS);
                await(mode + ": SERVER_UP for nginx-2").atMost(Duration.ofSeconds(5)).until(
                        () -> next(events, seen, EventType.SERVER_UP), e -> e != null && "nginx-2".equals(e.peer()));
                Set<String> served = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    served.add(Http.servedBy(vip));
                }
                assertThat(served).containsExactlyInAnyOrder("nginx-1", "nginx-2");
            }
        }
    }

    @Test
    void httpGet_wrongStatusFailsTheCheck_andInhibitOnFailureSetsWeightZeroInsteadOfRemoving() throws Exception {
        LvsConfig cfg = LvsConfig.of("nat", "wrr").withHealthCheck(fast("HTTP_GET").withInhibitOnFailure(true));
        try (Lab lab = stub.lab(LvsScenarios.director(cfg, 2))) {
            EventBus.Subscription events = lab.events().subscribe(4096, e -> e.type() == EventType.SERVER_DOWN
                    || e.type() == EventType.SERVER_UP);
            lab.start();
            LvsDirector lvs = (LvsDirector) lab.node("lvs").orElseThrow();
            httpStub.status("nginx-1", 503);
            List<LabEvent> seen = new ArrayList<>();
            LabEvent down = await("nginx-1 down on HTTP 503").atMost(Duration.ofSeconds(5)).until(
                    () -> next(events, seen, EventType.SERVER_DOWN), e -> e != null);
            assertThat(down.peer()).isEqualTo("nginx-1");
            assertThat(down.detail()).contains("inhibit_on_failure").contains("HTTP 503");
            assertThat(lvs.realServers().get(0).weight()).isZero();
            assertThat(lvs.realServers().get(0).inPool()).as("inhibited, still listed").isTrue();
            assertThat(Http.servedBy(lab.address("lvs"))).isEqualTo("nginx-2");
            httpStub.status("nginx-1", null);
            await("nginx-1 up again").atMost(Duration.ofSeconds(5)).until(
                    () -> next(events, seen, EventType.SERVER_UP), e -> e != null);
            assertThat(lvs.realServers().get(0).weight()).isEqualTo(1);
        }
    }

    private static LabEvent next(EventBus.Subscription s, List<LabEvent> seen, EventType type) {
        LabEvent e;
        while ((e = s.poll()) != null) {
            seen.add(e);
            if (e.type() == type) {
                return e;
            }
        }
        return null;
    }

    private static long count(EventBus.Subscription s, List<LabEvent> drained, EventType type, String detail) {
        LabEvent e;
        while ((e = s.poll()) != null) {
            drained.add(e);
        }
        return drained.stream().filter(x -> x.type() == type && x.detail().contains(detail)).count();
    }
}
