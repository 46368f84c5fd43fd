package dev.flowlab.control;

import dev.flowlab.runtime.Transport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowlab.run.RunReport;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.ha.VrrpGroup;
import dev.flowlab.ha.VrrpState;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.runtime.NodeView;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.LinkSpec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's control API: HTTP on loopback, on the lab's own event loop group, for scripts and
 * tests. {@code GET /api/topology}, {@code GET /api/metrics}, {@code GET /api/endpoints},
 * {@code POST /api/nodes/{id}/kill} (likewise stop, start, restart).
 *
 * <p>It obeys no web page: {@link ControlGuard} refuses a request for another Host (DNS
 * rebinding), one from a page elsewhere (Origin, Sec-Fetch-Site), a state-changing one without
 * this run's {@link #token() token} in {@value ControlGuard#TOKEN_HEADER}, and one that failed to
 * decode; no response carries a CORS header.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final Pattern NODE_ACTION = Pattern.compile("/api/nodes/([^/]+)/([a-z-]+)");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Lab lab;
    private final Channel channel;
    private final String token;

    private ControlServer(Lab lab, Channel channel, String token) {
        this.lab = lab;
        this.channel = channel;
        this.token = token;
    }

    /**
     * Binds the control API on 127.0.0.1 (port 0: any free port), with a new random token for
     * state-changing requests. Blocks until bound.
     */
    public static ControlServer start(Lab lab, int port) {
        InetSocketAddress bind = new InetSocketAddress("127.0.0.1", port);
        String token = ControlGuard.newToken();
        Handler handler = new Handler(lab, new ControlGuard(token));
        ServerBootstrap b = new ServerBootstrap().group(lab.group()).channel(Transport.serverSocketChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), handler);
                    }
                });
        io.netty.channel.ChannelFuture f = b.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            String why = f.cause() instanceof BindException ? "address already in use" : String.valueOf(f.cause());
            throw new LabStartException("control", "control API cannot bind " + TcpServerNode.hostPort(bind) + ": " + why, f.cause());
        }
        return new ControlServer(lab, f.channel(), token);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * This run's token (128 random bits, hex): every state-changing request must carry it in the
     * header {@value ControlGuard#TOKEN_HEADER}.
     */
    public String token() {
        return token;
    }

    /** The name of the header that carries {@link #token()}. */
    public static String tokenHeader() {
        return ControlGuard.TOKEN_HEADER;
    }

    /** The `lab serve --endpoints` document of this server, with its token ({@code "control_token"}). */
    public ObjectNode endpoints() {
        return endpoints(lab, address(), token);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /**
     * The `lab serve --endpoints` document (a contract: names are stable), without the token: what
     * {@code GET /api/endpoints} answers (a reader of the API is not given the key to change it).
     */
    public static ObjectNode endpoints(Lab lab, InetSocketAddress control) {
        return endpoints(lab, control, null);
    }

    private static ObjectNode endpoints(Lab lab, InetSocketAddress control, String token) {
        ObjectNode root = JSON.createObjectNode();
        root.put("control", control == null ? null : TcpServerNode.hostPort(control));
        if (token != null) {
            root.put("control_token", token);
        }
        ObjectNode entry = root.putObject("entry");
        lab.httpEntry().ifPresentOrElse(n -> entry.put("http", addressText(lab, n.id())), () -> entry.putNull("http"));
        lab.dnsEntry().ifPresentOrElse(n -> entry.put("dns", addressText(lab, n.id())), () -> entry.putNull("dns"));
        ArrayNode nodes = root.putArray("nodes");
        for (NodeView v : lab.nodeViews()) {
            ObjectNode n = nodes.addObject();
            n.put("id", v.id());
            n.put("kind", v.kind().id());
            n.put("address", v.address());
            n.put("state", v.state().id());
        }
        return root;
    }

    private static String addressText(Lab lab, String id) {
        InetSocketAddress a = lab.serviceAddress(id);
        return a == null ? null : TcpServerNode.hostPort(a);
    }

    static ObjectNode topology(Lab lab) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", lab.scenario().name());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeView v : lab.nodeViews()) {
            ObjectNode n = nodes.addObject();
            n.put("id", v.id());
            n.put("kind", v.kind().id());
            n.put("label", lab.scenario().node(v.id()).map(s -> s.displayLabel()).orElse(v.id()));
            n.put("address", v.address());
            n.put("state", v.state().id());
            lab.node(v.id()).ifPresent(ln -> {
                n.put("open_connections", ln.openConnections());
                // Labelled: what the lab's director holds (measured) next to real IPVS / haproxy (modelled).
                ln.layer4Footprint().ifPresent(f -> n.set("footprint", JSON.valueToTree(RunReport.Footprint.of(f))));
            });
        }
        ArrayNode links = root.putArray("links");
        for (LinkSpec l : lab.scenario().links()) {
            links.addObject().put("from", l.from()).put("to", l.to());
        }
        if (!dev.flowlab.ha.HighAvailability.of(lab).groups().isEmpty()) {
            ArrayNode groups = root.putArray("ha_groups");
            for (VrrpGroup g : dev.flowlab.ha.HighAvailability.of(lab).groups()) {
                ObjectNode o = groups.addObject();
                o.put("id", g.id());
                o.put("vip", g.vipText());
                List<String> masters = g.masters();
                o.put("master", masters.isEmpty() ? null : masters.get(0));
                o.put("split_brain", g.splitBrain());
                o.put("duplicate_vip", g.duplicateVip());
                List<String> holders = g.vipHolders();
                ArrayNode members = o.putArray("members");
                for (String m : g.members()) {
                    VrrpState st = g.stateOf(m);
                    members.addObject().put("node", m).put("state", st == null ? null : st.name())
                            .put("priority", g.priorityOf(m)).put("holds_vip", holders.contains(m))
                            .put("keepalived", g.keepalivedRunning(m) ? "running" : "stopped");
                }
            }
        }
        return root;
    }

    static ObjectNode metrics(Lab lab) {
        MetricsSnapshot s = lab.metrics().latest();
        ObjectNode root = JSON.valueToTree(s);
        ObjectNode bus = root.putObject("events");
        bus.put("published", lab.events().published());
        bus.put("dropped", lab.events().dropped());
        return root;
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Lab lab;
        private final ControlGuard guard;

        Handler(Lab lab, ControlGuard guard) {
            this.lab = lab;
            this.guard = guard;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            ControlGuard.Refusal refusal;
            try {
                refusal = guard.check(req, (InetSocketAddress) ctx.channel().localAddress());
            } catch (RuntimeException e) {
                log.warn("control API could not check request {} {}", req.method(), req.uri(), e);
                refusal = new ControlGuard.Refusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
            }
            if (refusal != null) {
                log.debug("control API refused {} {} from {}: {}", req.method(), req.uri(), ctx.channel().remoteAddress(), refusal.reason());
                reply(ctx, false, refusal.status(), error(refusal.reason()));
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = new QueryStringDecoder(req.uri()).path();
            try {
                if (req.method().equals(HttpMethod.GET) && path.equals("/api/topology")) {
                    reply(ctx, keepAlive, HttpResponseStatus.OK, topology(lab));
                } else if (req.method().equals(HttpMethod.GET) && path.equals("/api/metrics")) {
                    reply(ctx, keepAlive, HttpResponseStatus.OK, metrics(lab));
                } else if (req.method().equals(HttpMethod.GET) && path.equals("/api/endpoints")) {
                    reply(ctx, keepAlive, HttpResponseStatus.OK, endpoints(lab, (InetSocketAddress) ctx.channel().parent().localAddress()));
                } else {
                    Matcher m = NODE_ACTION.matcher(path);
                    if (m.matches()) {
                        if (!req.method().equals(HttpMethod.POST)) {
                            reply(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use POST for node actions"));
                            return;
                        }
                        nodeAction(ctx, keepAlive, m.group(1), m.group(2), new QueryStringDecoder(req.uri()).parameters());
                    } else {
                        reply(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + req.method() + " " + path
                                + " (try GET /api/topology, GET /api/metrics, POST /api/nodes/{id}/kill|stop|start|restart|kill-keepalived|start-keepalived)"));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("control API request {} {} failed", req.method(), req.uri(), e);
                reply(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, error(e.toString()));
            }
        }

        private void nodeAction(ChannelHandlerContext ctx, boolean keepAlive, String id, String action,
                                Map<String, java.util.List<String>> query) {
            if (lab.scenario().node(id).isEmpty()) {
                reply(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no node '" + id + "'"));
                return;
            }
            Map<String, String> params = new LinkedHashMap<>();
            query.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
            CompletableFuture<Void> op = lab.apply(action, id, params);
            op.whenComplete((v, e) -> ctx.executor().execute(() -> {
                if (e == null) {
                    ObjectNode ok = JSON.createObjectNode().put("node", id).put("action", action).put("state", lab.state(id).id());
                    reply(ctx, keepAlive, HttpResponseStatus.OK, ok);
                } else {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    HttpResponseStatus status = cause instanceof IllegalArgumentException
                            ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.CONFLICT;
                    reply(ctx, keepAlive, status, error(cause.getMessage()));
                }
            }));
        }

        private static ObjectNode error(String message) {
            return JSON.createObjectNode().put("error", message);
        }

        private static void reply(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                bytes = ("{\"error\":\"" + e.getOriginalMessage() + "\"}").getBytes(StandardCharsets.UTF_8);
                status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
            }
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (keepAlive) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(res);
            } else {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("control API connection {} failed: {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }
}
