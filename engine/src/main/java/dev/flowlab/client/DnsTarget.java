package dev.flowlab.client;

import dev.flowlab.runtime.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link Target} that resolves the site's name through the lab's DNS server and caches the
 * answer for the record's TTL, as a stub resolver and a browser do: every new connection goes to
 * the same VIP (the answer's first record) until the TTL runs out, then the name is queried
 * again and, with the server rotating its records, may land on another VIP. The JVM's own cache
 * (30 s whatever the TTL) is never involved: the query is sent directly over UDP (without EDNS,
 * as glibc's stub resolver sends it), and asked again over TCP when the answer comes back
 * truncated (more records than fit in 512 bytes).
 *
 * <p>A DNS answer holds addresses only; {@code portOf} maps a VIP to the lab node's address with
 * its port (every lab node has its own loopback address where the OS allows).
 */
public final class DnsTarget implements Target {
    private final EventLoop loop;
    private final Supplier<InetSocketAddress> server;
    private final String name;
    private final InetSocketAddress source;
    private final Function<InetAddress, InetSocketAddress> portOf;
    private final Duration queryTimeout;
    private final LongSupplier nanoClock;
    private Resolution cached;
    private CompletableFuture<Resolution> pending;
    private long queries;

    /** What the client currently holds: the VIP it sticks to, the full answer, and when it expires. */
    public record Resolution(InetAddress vip, List<InetAddress> answer, long ttlSeconds, long expiresAtNanos) {
    }

    public DnsTarget(EventLoop loop, Supplier<InetSocketAddress> server, String name, InetSocketAddress source,
                     Function<InetAddress, InetSocketAddress> portOf, Duration queryTimeout, LongSupplier nanoClock) {
        this.loop = loop;
        this.server = server;
        this.name = name.endsWith(".") ? name : name + ".";
        this.source = source;
        this.portOf = portOf;
        this.queryTimeout = queryTimeout;
        this.nanoClock = nanoClock;
    }

    /**
     * Resolves through the lab's DNS node: queries from the client's own address, and maps each
     * VIP to the node behind the DNS server that has that address (its port included).
     */
    public static DnsTarget forLab(dev.flowlab.runtime.Lab lab, String dnsNodeId, String host, InetSocketAddress source) {
        List<String> behind = lab.scenario().downstreamOf(dnsNodeId).stream().map(n -> n.id()).toList();
        Function<InetAddress, InetSocketAddress> portOf = vip -> {
            for (String id : behind) {
                InetSocketAddress a = lab.serviceAddress(id);
                if (a != null && a.getAddress().equals(vip)) {
                    return a;
                }
            }
            return null;
        };
        return new DnsTarget(lab.group().next(), () -> lab.address(dnsNodeId), host, source, portOf,
                Duration.ofSeconds(2), System::nanoTime);
    }

    @Override
    public CompletableFuture<InetSocketAddress> next() {
        return resolution().thenCompose(r -> {
            InetSocketAddress a = portOf.apply(r.vip());
            return a != null ? CompletableFuture.completedFuture(a)
                    : CompletableFuture.failedFuture(new java.net.ConnectException("no server at VIP " + r.vip().getHostAddress()));
        });
    }

    /** The cached answer while its TTL lasts; otherwise one query, shared by every caller waiting for it. */
    public synchronized CompletableFuture<Resolution> resolution() {
        long now = nanoClock.getAsLong();
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return CompletableFuture.completedFuture(cached);
        }
        if (pending != null) {
            return pending;
        }
        CompletableFuture<Resolution> q = query();
        if (!q.isDone()) {
            pending = q;
        }
        return q;
    }

    /** The answer the client holds now, or null before the first one (for inspectors). */
    public synchronized Resolution current() {
        return cached;
    }

    /** How many queries this target has sent. */
    public synchronized long queries() {
        return queries;
    }

    private CompletableFuture<Resolution> query() {
        synchronized (this) {
            queries++;
        }
        CompletableFuture<Resolution> result = new CompletableFuture<>();
        InetSocketAddress to = server.get();
        if (to == null) {
            settle(result, null, new UnknownHostException(name + ": the DNS server has no address"));
            return result;
        }
        int id = ThreadLocalRandom.current().nextInt(1, 65536);
        Bootstrap b = new Bootstrap().group(loop).channel(Transport.datagramChannel())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DatagramDnsResponse>() {
                                    private boolean answered;

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse r) {
                                        if (r.id() == id && !answered) {
                                            answered = true;
                                            complete(r, to, id, result, false);
                                            ctx.close();
                                        }
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        if (!answered) { // not the read that follows our own close
                                            settle(result, null, new UnknownHostException(name + ": " + cause.getMessage()));
                                        }
                                        ctx.close();
                                    }
                                });
                    }
                });
        b.bind(source != null ? new InetSocketAddress(source.getAddress(), 0) : new InetSocketAddress(to.getAddress(), 0))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        settle(result, null, new UnknownHostException(name + ": " + f.cause().getMessage()));
                        return;
                    }
                    Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                    DatagramDnsQuery query = new DatagramDnsQuery(null, to, id);
                    query.setRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.A));
                    ch.writeAndFlush(query);
                    loop.schedule(() -> {
                        settle(result, null, new UnknownHostException(name + ": no answer from "
                                + to.getAddress().getHostAddress() + ":" + to.getPort() + " within " + queryTimeout.toMillis() + " ms"));
                    }, queryTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    result.whenComplete((r, e) -> ch.close());
                });
        return result;
    }

    /**
     * A truncated UDP answer (TC: the record set does not fit in 512 bytes) is asked again over TCP,
     * as a stub resolver does (RFC 7766), from the same source address.
     */
    private void retryOverTcp(InetSocketAddress to, int id, CompletableFuture<Resolution> result) {
        Bootstrap b = new Bootstrap().group(loop).channelFactory(Transport.clientChannels())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, queryTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new TcpDnsQueryEncoder(), new TcpDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsResponse r) {
                                        if (r.id() == id) {
                                            complete(r, to, id, result, true);
                                            ctx.close();
                                        }
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        settle(result, null, new UnknownHostException(name + ": over TCP: " + cause.getMessage()));
                                        ctx.close();
                                    }
                                });
                    }
                });
        if (source != null) {
            b.localAddress(new InetSocketAddress(source.getAddress(), 0));
        }
        b.connect(to).addListener(f -> {
            if (!f.isSuccess()) {
                settle(result, null, new UnknownHostException(name + ": truncated answer, and no TCP to "
                        + to.getAddress().getHostAddress() + ":" + to.getPort() + ": " + f.cause().getMessage()));
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            DefaultDnsQuery query = new DefaultDnsQuery(id);
            query.setRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.A));
            ch.writeAndFlush(query);
            result.whenComplete((r, e) -> ch.close());
        });
    }

    private void complete(DnsResponse r, InetSocketAddress to, int id, CompletableFuture<Resolution> result, boolean tcp) {
        if (r.isTruncated() && !tcp) {
            retryOverTcp(to, id, result);
            return;
        }
        if (r.code() != DnsResponseCode.NOERROR) {
            // dig's wording (NXDOMAIN, SERVFAIL...) rather than Netty's "NXDomain(3)".
            String code = r.code().toString();
            int paren = code.indexOf('(');
            settle(result, null, new UnknownHostException(name + ": status "
                    + (paren > 0 ? code.substring(0, paren) : code).toUpperCase(java.util.Locale.ROOT)));
            return;
        }
        List<InetAddress> addresses = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (int i = 0; i < r.count(DnsSection.ANSWER); i++) {
            DnsRawRecord rec = r.recordAt(DnsSection.ANSWER, i);
            if (rec.type() == DnsRecordType.A && rec.content().readableBytes() == 4) {
                byte[] b = new byte[4];
                rec.content().getBytes(rec.content().readerIndex(), b);
                try {
                    addresses.add(InetAddress.getByAddress(b));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
                ttl = Math.min(ttl, rec.timeToLive());
            }
        }
        if (addresses.isEmpty()) {
            settle(result, null, new UnknownHostException(name + ": no A record"));
            return;
        }
        long expires = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(ttl);
        settle(result, new Resolution(addresses.get(0), List.copyOf(addresses), ttl, expires), null);
    }

    /** Caches an answer before anyone waiting on it runs, so the next connection already finds it. */
    private void settle(CompletableFuture<Resolution> result, Resolution answer, Throwable failure) {
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            if (answer != null) {
                cached = answer;
            }
            if (pending == result) {
                pending = null;
            }
        }
        if (answer != null) {
            result.complete(answer);
        } else {
            result.completeExceptionally(failure);
        }
    }
}
