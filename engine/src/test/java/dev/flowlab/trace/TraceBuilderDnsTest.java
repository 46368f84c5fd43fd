package dev.flowlab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DNS row of a trace reads as what it was: a lookup just before the request, the client's cached
 * answer within its TTL (no length on the waterfall, its time is not this request's), or an answer
 * older than its TTL serving a kept-alive connection.
 */
class TraceBuilderDnsTest {
    private static final long S = 1_000_000_000L;
    private final Scenario scenario = new Scenario(Scenario.FORMAT, "dns", null,
            List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("dns", NodeKind.DNS), NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
            List.of(LinkSpec.of("client", "dns"), LinkSpec.of("client", "tomcat-1")), null, null);

    private Trace traceWithDnsAnsweredAt(long answeredNanos, long requestNanos) {
        LabEvent dns = new LabEvent(answeredNanos, EventType.DNS_ANSWER, "dns", "127.0.100.1:5353", null, 0, 24_700_000L,
                new Fact.DnsAnswer("www.taobao.lab", "IN", "A", "NOERROR", List.of("127.0.10.1"), 10, false, 1, 0, true, 0, false));
        List<LabEvent> events = List.of(
                new LabEvent(requestNanos, EventType.CLIENT_REQUEST, "client", "127.0.10.1:80", "t-1", 0, 0,
                        new Fact.ClientRequest("GET", "/")),
                new LabEvent(requestNanos, EventType.TRACE_HEADERS, "client", "127.0.10.1:80", "t-1", 0, 0,
                        new Fact.HeadersSeen("request sent", "127.0.100.1:40000 -> 127.0.10.1:80", "GET / HTTP/1.1", List.of())),
                new LabEvent(requestNanos + 6_600_000L, EventType.CLIENT_RESPONSE, "client", "127.0.10.1:80", "t-1", 200, 0,
                        new Fact.ClientResponse("/")));
        return new TraceBuilder(scenario).build("t-1", events, null, host -> host.equals("127.0.100.1") ? dns : null);
    }

    @Test
    void aLookupJustBeforeTheRequest_isDrawnAsItRan() {
        Trace t = traceWithDnsAnsweredAt(100 * S - 1_000_000L, 100 * S);
        TraceHop dns = t.hops().get(0);
        assertThat(dns.action()).isEqualTo("DNS lookup");
        assertThat(dns.durationNanos()).isEqualTo(24_700_000L);
    }

    @Test
    void aCachedAnswerWithinItsTtl_saysHowMuchIsLeft_andTakesNoneOfTheRequestsTime() {
        Trace t = traceWithDnsAnsweredAt(100 * S, 103 * S);
        TraceHop dns = t.hops().get(0);
        assertThat(dns.action()).isEqualTo("DNS: cached answer, 7 s of its TTL 10 s left");
        assertThat(dns.durationNanos()).isZero();
        assertThat(dns.startNanos()).isEqualTo(t.startNanos());
        assertThat(dns.notes()).contains("asked 3.0 s before this request (the lookup took 24.7 ms then)",
                "the client's cached answer, still within its TTL: no new query");
        assertThat(dns.notes()).noneMatch(n -> n.contains("reused it within its TTL"));
    }

    @Test
    void anAnswerOlderThanItsTtl_isNamedAsTheKeptAliveConnections() {
        Trace t = traceWithDnsAnsweredAt(100 * S, 171_604_000_000L);
        TraceHop dns = t.hops().get(0);
        assertThat(dns.action()).isEqualTo("DNS: answer from 72 s ago (TTL 10 s), on a kept-alive connection");
        assertThat(dns.durationNanos()).isZero();
        assertThat(dns.endNanos()).isLessThanOrEqualTo(t.endNanos());
    }
}
