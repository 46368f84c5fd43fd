package dev.flowlab.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The advert's wire layout (RFC 3768 / RFC 5798), its checksum, and what a receiver refuses. */
class VrrpAdvertTest {
    private static Inet4Address vip() throws Exception {
        return (Inet4Address) InetAddress.getByName("127.0.10.200");
    }

    @Test
    void version2_isTwentyBytes_withIntervalInSeconds_andRoundTrips() throws Exception {
        VrrpAdvert a = new VrrpAdvert(2, 51, 100, Duration.ofSeconds(1), vip());
        ByteBuf buf = a.encode(ByteBufAllocator.DEFAULT);
        try {
            assertThat(buf.readableBytes()).isEqualTo(20);
            assertThat((int) buf.getUnsignedByte(0)).isEqualTo(0x21);
            assertThat((int) buf.getUnsignedByte(1)).isEqualTo(51);
            assertThat((int) buf.getUnsignedByte(2)).isEqualTo(100);
            assertThat((int) buf.getUnsignedByte(5)).isEqualTo(1);
            assertThat(VrrpAdvert.checksum(buf, 0, 20)).isZero();
            assertThat(VrrpAdvert.decode(buf)).isEqualTo(a);
        } finally {
            buf.release();
        }
    }

    @Test
    void version3_isTwelveBytes_withIntervalInCentiseconds() throws Exception {
        VrrpAdvert a = new VrrpAdvert(3, 7, 0, Duration.ofMillis(200), vip());
        ByteBuf buf = a.encode(ByteBufAllocator.DEFAULT);
        try {
            assertThat(buf.readableBytes()).isEqualTo(12);
            assertThat((int) buf.getUnsignedByte(0)).isEqualTo(0x31);
            assertThat(buf.getUnsignedShort(4)).isEqualTo(20);
            VrrpAdvert back = VrrpAdvert.decode(buf);
            assertThat(back.priority()).isEqualTo(VrrpAdvert.PRIORITY_RESIGN);
            assertThat(back.advertInt()).isEqualTo(Duration.ofMillis(200));
        } finally {
            buf.release();
        }
    }

    @Test
    void corruptedChecksum_shortPacket_andWrongType_areRefused() throws Exception {
        ByteBuf buf = new VrrpAdvert(2, 51, 100, Duration.ofSeconds(1), vip()).encode(ByteBufAllocator.DEFAULT);
        buf.setByte(2, 200);
        try {
            assertThatThrownBy(() -> VrrpAdvert.decode(buf)).hasMessage("VRRP checksum mismatch");
        } finally {
            buf.release();
        }
        ByteBuf shortOne = Unpooled.wrappedBuffer(new byte[] {0x21, 51, 100});
        assertThatThrownBy(() -> VrrpAdvert.decode(shortOne)).hasMessageContaining("too short");
        ByteBuf notAdvert = Unpooled.wrappedBuffer(new byte[12]);
        notAdvert.setByte(0, 0x22);
        assertThatThrownBy(() -> VrrpAdvert.decode(notAdvert)).hasMessageContaining("not a VRRP v2/v3 advertisement");
    }
}
