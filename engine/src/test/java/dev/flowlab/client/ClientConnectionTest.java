package dev.flowlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection handler's outcomes, without sockets. */
class ClientConnectionTest {
    private final List<String> outcomes = new ArrayList<>();

    private final ClientConnection.Listener listener = new ClientConnection.Listener() {
        @Override
        public void answered(ClientConnection connection, Exchange exchange, FullHttpResponse response) {
            outcomes.add("answered " + response.status().code() + " " + response.headers().get("X-Served-By")
                    + " " + response.content().toString(StandardCharsets.US_ASCII));
        }

        @Override
        public void failed(Exchange exchange, String cause, String detail) {
            outcomes.add("failed " + cause);
        }

        @Override
        public void closed(ClientConnection connection) {
            outcomes.add("closed");
        }
    };

    private EmbeddedChannel channelCarryingOneRequest(ClientConnection connection) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1024), connection);
        // The codec pairs each response with a request it saw go out.
        ch.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/"));
        io.netty.buffer.ByteBuf sent = ch.readOutbound();
        sent.release();
        connection.carry(new Exchange(new BrowserMix.Request(BrowserMix.Kind.PAGE, "/"), "0123456789abcdef", 0));
        return ch;
    }

    private static io.netty.buffer.ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void fullResponse_isHandedOver_andTheConnectionStaysOpen() {
        ClientConnection c = new ClientConnection(listener);
        EmbeddedChannel ch = channelCarryingOneRequest(c);

        ch.writeInbound(ascii("HTTP/1.1 200 OK\r\nX-Served-By: tomcat-1\r\nContent-Length: 2\r\n\r\nok"));

        assertThat(outcomes).containsExactly("answered 200 tomcat-1 ok");
        assertThat(c.isBusy()).isFalse();
        assertThat(ch.isActive()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void garbage_failsAsBadResponse_andClosesTheConnection() {
        ClientConnection c = new ClientConnection(listener);
        EmbeddedChannel ch = channelCarryingOneRequest(c);

        ch.writeInbound(ascii("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
        ch.runPendingTasks();

        assertThat(outcomes).containsExactly("failed bad_response", "closed");
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void closeMidResponse_failsAsClosed() {
        ClientConnection c = new ClientConnection(listener);
        EmbeddedChannel ch = channelCarryingOneRequest(c);

        ch.writeInbound(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"));
        ch.close();

        assertThat(outcomes).containsExactly("failed closed", "closed");
        ch.finishAndReleaseAll();
    }

    @Test
    void abandon_failsTheRequestWithTheGivenCause_once() {
        ClientConnection c = new ClientConnection(listener);
        EmbeddedChannel ch = channelCarryingOneRequest(c);

        c.abandon(ErrorCauses.TIMEOUT, "late");

        assertThat(outcomes).containsExactly("failed timeout", "closed");
        ch.finishAndReleaseAll();
    }
}
