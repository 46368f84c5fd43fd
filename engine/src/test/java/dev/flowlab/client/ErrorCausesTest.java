package dev.flowlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class ErrorCausesTest {
    @Test
    void transportFailures_mapToTheirStableNames() {
        assertThat(ErrorCauses.classify(new ConnectException("Connection refused"))).isEqualTo("connect_refused");
        assertThat(ErrorCauses.classify(new ConnectTimeoutException("connection timed out"))).isEqualTo("connect_timeout");
        assertThat(ErrorCauses.classify(new SocketException("Connection reset"))).isEqualTo("reset");
        assertThat(ErrorCauses.classify(new IOException("Connection reset by peer"))).isEqualTo("reset");
        assertThat(ErrorCauses.classify(new IOException("Broken pipe"))).isEqualTo("reset");
        assertThat(ErrorCauses.classify(new ClosedChannelException())).isEqualTo("closed");
        assertThat(ErrorCauses.classify(new PrematureChannelClosureException())).isEqualTo("closed");
        assertThat(ErrorCauses.classify(new TooLongFrameException("too big"))).isEqualTo("bad_response");
    }
}
