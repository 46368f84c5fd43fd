package dev.flowlab.runtime;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportTest {

    @Test
    void auto_isEpollWhereItLoads_elseNio() {
        assertThat(Transport.choose("auto")).isEqualTo(Epoll.isAvailable() ? Transport.Kind.EPOLL : Transport.Kind.NIO);
        if (System.getProperty("flowlab.transport") == null) {
            assertThat(Transport.kind()).isEqualTo(Transport.choose("auto"));
        }
    }

    @Test
    void linuxX86_64_hasEpoll() {
        // The build ships the epoll native library for Linux x86_64 and aarch64.
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64"))) {
            assertThat(Epoll.isAvailable()).as("epoll: %s", Epoll.unavailabilityCause()).isTrue();
        }
    }

    @Test
    void nioCanBeForced_andABadValueIsAClearError() {
        assertThat(Transport.choose("NIO")).isEqualTo(Transport.Kind.NIO);
        assertThatThrownBy(() -> Transport.choose("iouring"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected auto, epoll or nio");
    }

    @Test
    void clientSockets_takeTheirPortAtConnect_onEpoll() {
        io.netty.channel.socket.SocketChannel ch = Transport.clientChannels().newChannel();
        try {
            if (Transport.kind() == Transport.Kind.EPOLL) {
                // As nginx's proxy_bind: a source address without a port until connect(), so
                // thousands of closed connections in TIME_WAIT do not slow every new bind().
                assertThat(ch.config().getOption(io.netty.channel.epoll.EpollChannelOption.IP_BIND_ADDRESS_NO_PORT)).isTrue();
            }
        } finally {
            ch.unsafe().closeForcibly();
        }
    }
}
