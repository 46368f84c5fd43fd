package dev.flowlab.tier.lvs;

/**
 * The packets a director forwards, modelled from the bytes the lab sees. A kernel director
 * forwards IP packets; the lab sees byte streams (one read may hold many segments, a segment may
 * arrive in two reads), so packets are counted as a TCP connection would send those bytes:
 * segments of at most one MSS (1,448 bytes: a 1,500-byte Ethernet MTU less the IP and TCP headers
 * with timestamps), one delayed ACK for every two segments received, and the handshake and close.
 * Inbound (client to director, what IPVS counts as InPkts): SYN, the handshake's ACK, the data
 * segments, the ACKs of the reply, FIN and its ACK. Outbound (OutPkts, NAT only: DR replies go
 * from the real server straight to the client): SYN-ACK, the reply's segments, the ACKs of the
 * client's data, FIN and its ACK. Bytes are measured (payload); packets are modelled.
 */
final class PacketModel {
    static final int MSS = 1448;
    /** SYN + ACK of the handshake (or SYN-ACK on the way out) */
    static final int OPEN_PACKETS_IN = 2;
    static final int OPEN_PACKETS_OUT = 1;
    /** FIN + ACK each way */
    static final int CLOSE_PACKETS = 2;

    private PacketModel() {
    }

    static long segments(long bytes) {
        return bytes <= 0 ? 0 : (bytes + MSS - 1) / MSS;
    }

    /** Delayed ACKs for {@code bytes} received: one per two segments, at least one. */
    static long acks(long bytes) {
        long s = segments(bytes);
        return s == 0 ? 0 : (s + 1) / 2;
    }
}
