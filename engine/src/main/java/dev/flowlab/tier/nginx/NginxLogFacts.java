package dev.flowlab.tier.nginx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.flowlab.topology.NginxConfig;

/**
 * The real nginx's own logs as the lab's events and metrics. Each access log line (the JSON {@code lab_json} format the
 * exporter writes) becomes what the lab's Nginx emits for a request: {@code request_received}, one
 * {@code upstream_chosen} per server in {@code $upstream_addr} (a {@code retry} after each one that failed), and
 * {@code response_returned}, with upstream addresses mapped back to node ids and the request counted in the node's
 * metrics ($request_time as its latency). The error log's "upstream server temporarily disabled" is
 * {@code server_down}. stub_status, polled twice a second, is the node's open connection count. Facts arrive when
 * nginx writes the line, that is when the request ends.
 */
final class NginxLogFacts implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DISABLED = Pattern.compile("upstream server temporarily disabled.*?upstream: \"[a-z]+://([^/\"]+)");
    private static final Pattern ACTIVE = Pattern.compile("Active connections:\\s*(\\d+)");
    private static final long POLL_MILLIS = 20;
    private static final long STATUS_EVERY_MILLIS = 500;

    private final NodeContext context;
    private final Map<String, String> nodeOfAddress = new LinkedHashMap<>();
    /** Each server node's upstream block and its balancing method. */
    private final Map<String, Pool> poolOf = new LinkedHashMap<>();

    private record Pool(String upstream, String algorithm, NginxConfig.Server server) {
        static final Pool NONE = new Pool(null, null, null);
    }
    private final Tail access;
    private final Tail errors;
    private final InetSocketAddress status;
    private final Thread thread;
    /** Servers nginx disabled, until when (System.nanoTime): nginx logs "temporarily disabled" at each failure past max_fails. */
    private final Map<String, Long> downUntil = new LinkedHashMap<>();
    private volatile boolean closed;
    private volatile int active;
    private int counted;

    NginxLogFacts(NodeContext context, NginxConfig config, Map<String, String> addresses, Path accessLog, Path errorLog,
                  InetSocketAddress status) {
        this.context = context;
        addresses.forEach((id, a) -> nodeOfAddress.put(a, id));
        for (NginxConfig.Upstream u : config.upstreams()) {
            String algorithm = u.balance() == null ? "round_robin" : u.balance();
            for (NginxConfig.Server s : u.servers() == null ? List.<NginxConfig.Server>of() : u.servers()) {
                String name = s.node() != null ? s.node() : s.address();
                poolOf.putIfAbsent(name, new Pool(u.name(), algorithm, dev.flowlab.topology.Params.withDefaults(s)));
            }
        }
        this.access = new Tail(accessLog);
        this.errors = new Tail(errorLog);
        this.status = status;
        this.thread = new Thread(this::run, "flowlab-nginx-" + context.id() + "-log");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int activeConnections() {
        return active;
    }

    private void run() {
        long nextStatus = 0;
        while (!closed) {
            boolean any = drain();
            long now = System.nanoTime();
            if (now >= nextStatus) {
                pollStatus();
                nextStatus = now + STATUS_EVERY_MILLIS * 1_000_000;
            }
            if (!any) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Reads what the logs gained; true when there was something. */
    private synchronized boolean drain() {
        boolean any = false;
        // the error log first: nginx writes a failure there while the request runs, its access line when it ends
        for (String line : errors.lines()) {
            any = true;
            errorLine(line);
        }
        for (String line : access.lines()) {
            any = true;
            accessLine(line);
        }
        return any;
    }

    /** The id of the node at "host:port", else the address itself. */
    String nodeOf(String address) {
        return nodeOfAddress.getOrDefault(address, address);
    }

    void accessLine(String line) {
        JsonNode j;
        try {
            j = JSON.readTree(line);
        } catch (IOException e) {
            return;
        }
        String method = j.path("method").asText("");
        String uri = j.path("uri").asText("");
        int statusCode = parseInt(j.path("status").asText("0"));
        String client = j.path("remote_addr").asText(null);
        String trace = j.path("trace").asText("");
        String traceId = trace.isEmpty() ? null : trace;
        long took = (long) (parseDouble(j.path("request_time").asText("0")) * 1e9);
        context.metrics().requestStarted();
        context.metrics().bytesIn(parseInt(j.path("request_length").asText("0")));
        context.metrics().bytesOut(parseInt(j.path("body_bytes_sent").asText("0")));
        context.metrics().requestCompleted(statusCode, took);
        context.emit(EventType.REQUEST_RECEIVED, client, traceId, 0, 0, new Fact.RequestSeen(method, uri, client));
        List<String> tried = split(j.path("upstream_addr").asText(""));
        List<String> statuses = split(j.path("upstream_status").asText(""));
        String from = null;
        for (int i = 0; i < tried.size(); i++) {
            String addr = tried.get(i);
            if (addr.startsWith("unix:") || !addr.contains(":")) {
                continue; // an upstream group name: nginx found no live server ("no live upstreams")
            }
            String node = nodeOf(addr);
            Pool pool = poolOf.getOrDefault(node, Pool.NONE);
            context.emit(EventType.UPSTREAM_CHOSEN, node, traceId, 0, 0, new Fact.UpstreamChosen(pool.upstream(), node, pool.algorithm(),
                    "as nginx logged it ($upstream_addr)", null, null, List.of()));
            String st = i < statuses.size() ? statuses.get(i) : "";
            boolean last = i == tried.size() - 1;
            if (!last) {
                String why = st.equals("502") || st.equals("-") ? "connect() failed or the connection broke (nginx logged " + st + ")"
                        : "answered " + st;
                context.emit(EventType.RETRY, node, traceId, 0, 0, new Fact.Retry(st.equals("504") ? "timeout"
                        : st.matches("\\d{3}") && !st.equals("502") ? "http_" + st : "error", node, why, tried.size() - 1 - i, uri));
            } else {
                from = node;
                if (st.matches("[1-4]\\d\\d") && downUntil.remove(node) != null) {
                    context.emit(EventType.SERVER_UP, node, null, 0, 0, new Fact.ServerUp("upstream " + pool.upstream(), node,
                            "upstream " + pool.upstream() + ": server " + node + " answered again after fail_timeout: back in rotation"));
                }
            }
        }
        String cache = j.path("upstream_cache_status").asText("");
        if (!cache.isEmpty()) {
            boolean hit = cache.equals("HIT") || cache.equals("STALE") || cache.equals("UPDATING") || cache.equals("REVALIDATED");
            context.emit(hit ? EventType.CACHE_HIT : EventType.CACHE_MISS, null, traceId, 0, 0, new Fact.CacheStatus(cache, uri, null));
            if (hit) {
                from = null;
            }
        }
        String how = from != null ? null : !cache.isEmpty() ? "cache " + cache : tried.isEmpty() ? null : "no live upstreams";
        context.emit(EventType.RESPONSE_RETURNED, from != null ? from : client, traceId, statusCode, took,
                new Fact.Answered(method, uri, statusCode, from, how));
    }

    void errorLine(String line) {
        Matcher m = DISABLED.matcher(line);
        if (m.find()) {
            String node = nodeOf(m.group(1));
            Pool pool = poolOf.getOrDefault(node, Pool.NONE);
            int fails = pool.server() == null ? 1 : pool.server().maxFails();
            long timeout = pool.server() == null ? 10_000_000_000L : pool.server().failTimeout().toNanos();
            long now = System.nanoTime();
            Long until = downUntil.get(node);
            if (until != null && now - until < 0) {
                return; // the same decision, logged again for a request that failed on it meanwhile
            }
            downUntil.put(node, now + timeout);
            context.emit(EventType.SERVER_DOWN, node, null, 0, 0, new Fact.ServerDown("upstream " + pool.upstream(), node, fails, timeout,
                    "nginx: upstream server " + node + " temporarily disabled (max_fails reached; it is left out for fail_timeout)"));
        }
    }

    private void pollStatus() {
        try (Socket s = new Socket()) {
            s.connect(status, 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("GET /status HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            Matcher m = ACTIVE.matcher(text);
            if (m.find()) {
                // stub_status counts its own connection too
                int now = Math.max(0, Integer.parseInt(m.group(1)) - 1);
                active = now;
                while (counted < now) {
                    context.metrics().connectionOpened();
                    counted++;
                }
                while (counted > now) {
                    context.metrics().connectionClosed();
                    counted--;
                }
            }
        } catch (IOException e) {
            // nginx is stopping or busy: keep the last count
        }
    }

    /** Reads the lines nginx wrote before it ended, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
        while (counted > 0) {
            context.metrics().connectionClosed();
            counted--;
        }
        active = 0;
        access.close();
        errors.close();
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (v.isBlank() || v.equals("-")) {
            return out;
        }
        // ", " between servers of one upstream, " : " between upstreams of internal redirects
        for (String part : v.split(",\\s*|\\s+:\\s+")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A file read as it grows: whole lines only, a partial last line kept for the next read. */
    private static final class Tail {
        private final Path file;
        private RandomAccessFile in;
        private final StringBuilder partial = new StringBuilder();
        private final byte[] buf = new byte[64 * 1024];

        Tail(Path file) {
            this.file = file;
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            try {
                if (in == null) {
                    in = new RandomAccessFile(file.toFile(), "r");
                }
                int n;
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                while ((n = in.read(buf)) > 0) {
                    bytes.write(buf, 0, n);
                }
                if (bytes.size() == 0) {
                    return out;
                }
                partial.append(bytes.toString(StandardCharsets.UTF_8));
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, nl);
                    partial.delete(0, nl + 1);
                    if (!line.isBlank()) {
                        out.add(line);
                    }
                }
            } catch (IOException e) {
                // not there yet, or gone with the prefix
            }
            return out;
        }

        void close() {
            try {
                if (in != null) {
                    in.close();
                }
            } catch (IOException e) {
                // closing a read-only file
            }
        }
    }
}
