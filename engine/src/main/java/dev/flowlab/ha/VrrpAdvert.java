package dev.flowlab.ha;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * One VRRP advertisement, laid out as on the wire (RFC 3768 for version 2, RFC 5798 for version
 * 3) with one virtual address: version and type, virtual router id, priority, the advert interval
 * (whole seconds in v2, centiseconds in v3), an internet checksum, the VIP, and v2's empty
 * authentication data. The lab sends it over loopback UDP instead of IP protocol 112.
 */
public record VrrpAdvert(int version, int virtualRouterId, int priority, Duration advertInt, Inet4Address vip) {
    private static final int TYPE_ADVERTISEMENT = 1;
    /** Priority 0: the master is leaving; backups take over after skew time instead of master_down_interval. */
    public static final int PRIORITY_RESIGN = 0;

    public VrrpAdvert {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("VRRP version " + version + " (expected 2 or 3)");
        }
        if (priority < 0 || priority > 255 || virtualRouterId < 1 || virtualRouterId > 255) {
            throw new IllegalArgumentException("priority " + priority + " / virtual_router_id " + virtualRouterId + " out of range");
        }
    }

    public int length() {
        return version == 2 ? 20 : 12;
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(length());
        out.writeByte(version << 4 | TYPE_ADVERTISEMENT);
        out.writeByte(virtualRouterId);
        out.writeByte(priority);
        out.writeByte(1);
        if (version == 2) {
            out.writeByte(0);
            out.writeByte((int) Math.max(1, Math.min(255, advertInt.toSeconds())));
        } else {
            out.writeShort((int) Math.max(1, Math.min(0x0fff, advertInt.toMillis() / 10)));
        }
        int checksumAt = out.writerIndex();
        out.writeShort(0);
        out.writeBytes(vip.getAddress());
        if (version == 2) {
            out.writeZero(8);
        }
        out.setShort(checksumAt, checksum(out, out.readerIndex(), out.readableBytes()));
        return out;
    }

    /** Reads an advert; a malformed one (wrong length, version, type or checksum) is an {@link IllegalArgumentException}. */
    public static VrrpAdvert decode(ByteBuf in) {
        int start = in.readerIndex();
        int length = in.readableBytes();
        if (length < 12) {
            throw new IllegalArgumentException("VRRP packet too short: " + length + " bytes");
        }
        int versionType = in.getUnsignedByte(start);
        int version = versionType >> 4;
        if ((versionType & 0x0f) != TYPE_ADVERTISEMENT || (version != 2 && version != 3)) {
            throw new IllegalArgumentException("not a VRRP v2/v3 advertisement (first byte 0x" + Integer.toHexString(versionType) + ")");
        }
        int expected = version == 2 ? 20 : 12;
        if (length != expected) {
            throw new IllegalArgumentException("VRRPv" + version + " advert of " + length + " bytes (expected " + expected + ")");
        }
        if (checksum(in, start, length) != 0) {
            throw new IllegalArgumentException("VRRP checksum mismatch");
        }
        int vrid = in.getUnsignedByte(start + 1);
        int priority = in.getUnsignedByte(start + 2);
        Duration interval = version == 2
                ? Duration.ofSeconds(in.getUnsignedByte(start + 5))
                : Duration.ofMillis((in.getUnsignedShort(start + 4) & 0x0fff) * 10L);
        byte[] ip = new byte[4];
        in.getBytes(start + 8, ip);
        in.skipBytes(length);
        try {
            return new VrrpAdvert(version, vrid, priority, interval, (Inet4Address) InetAddress.getByAddress(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The internet checksum (RFC 1071): summing a packet that carries its checksum gives 0. */
    static int checksum(ByteBuf buf, int from, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += buf.getUnsignedShort(from + i);
        }
        if ((length & 1) == 1) {
            sum += buf.getUnsignedByte(from + length - 1) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
