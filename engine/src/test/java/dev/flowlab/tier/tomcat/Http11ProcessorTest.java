package dev.flowlab.tier.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.testing.UnitNodeContext;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The processor's pipeline on an EmbeddedChannel: no sockets, virtual time for the timers. */
class Http11ProcessorTest {
    private final NodeMetrics metrics = new NodeMetrics("tomcat-1", "tomcat");

    private EmbeddedChannel channel(TomcatConfig config) throws Exception {
        NodeContext context = new UnitNodeContext(new NodeSpec("tomcat-1", NodeKind.TOMCAT, null, null, null, config), new EventBus(), metrics);
        TomcatSettings settings = TomcatSettings.from(config, Path.of("does-not-exist"));
        Connector connector = new Connector(context, settings,
                new ShopApplication("tomcat-1", new StaticResources(settings.docBase())));
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new HttpServerCodec(TomcatServer.decoderConfig()), new FlowControlHandler(),
                new Http11Processor(connector));
        ch.register();
        return ch;
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelinedRequestsInOneBuffer_getOrderedResponses() throws Exception {
        EmbeddedChannel ch = channel(TomcatConfig.EMPTY);
        ch.writeInbound(bytes("GET /api/item/7 HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
        ch.runPendingTasks();
        String out = outbound(ch);
        assertThat(out.indexOf("\"id\":7")).isPositive().isLessThan(out.indexOf("{\"status\":\"UP\"}"));
        assertThat(out).contains("x-served-by: tomcat-1");
        assertThat(ch.isOpen()).isTrue();
        assertThat(metrics.completed()).isEqualTo(2);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aRequestInServiceBlocksTheNextUntilItsTimerFires() throws Exception {
        EmbeddedChannel ch = channel(TomcatConfig.EMPTY.withServiceTime(ServiceTime.fixed(Duration.ofMillis(100))));
        ch.writeInbound(bytes("GET /api/item/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /api/item/2 HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(outbound(ch)).isEmpty();
        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        String first = outbound(ch);
        assertThat(first).contains("\"id\":1,").doesNotContain("\"id\":2,");
        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(outbound(ch)).contains("\"id\":2,");
        ch.finishAndReleaseAll();
    }

    @Test
    void badRequestLine_is400_andCloses() throws Exception {
        EmbeddedChannel ch = channel(TomcatConfig.EMPTY);
        ch.writeInbound(bytes("this is not http\r\n\r\n"));
        String out = outbound(ch);
        // Tomcat's head: no reason phrase, its header names, its status report page
        assertThat(out).startsWith("HTTP/1.1 400 \r\n").contains("Connection: close", "x-served-by: tomcat-1",
                "Content-Type: text/html;charset=utf-8", "Content-Language: en");
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.errorsByCause()).containsEntry("bad_request", 1L);
        assertThat(metrics.inFlight()).isZero();
    }

    @Test
    void closeWhileInService_releasesTheWorkerAndWritesNothing() throws Exception {
        TomcatConfig config = TomcatConfig.EMPTY.withServiceTime(ServiceTime.fixed(Duration.ofMillis(50)));
        EmbeddedChannel ch = channel(config);
        ch.writeInbound(bytes("POST /api/cart HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"));
        Http11Processor p = ch.pipeline().get(Http11Processor.class);
        assertThat(p.phase()).isEqualTo(WorkerBoundProcessor.Phase.IN_SERVICE);
        ch.close();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(p.phase()).isEqualTo(WorkerBoundProcessor.Phase.CLOSED);
        assertThat(outbound(ch)).isEmpty();
        assertThat(metrics.inFlight()).isZero();
        assertThat(metrics.errorsByCause()).containsKey("connection_closed");
    }

    @Test
    void connectionTimeout_closesASilentConnection() throws Exception {
        EmbeddedChannel ch = channel(new TomcatConfig(null, null, null, null, Duration.ofMillis(200), null, null, null, null));
        ch.advanceTimeBy(199, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }
}
