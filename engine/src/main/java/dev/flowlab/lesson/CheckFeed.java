package dev.flowlab.lesson;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.LabEvent;
import dev.flowlab.net.http.LabHeaders;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.NodeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Carries a running lab's events to the checks that grade it, and sends the requests the checks
 * send themselves ({@link Probe}s, as curl would, to the lab's HTTP entry). Call {@link #pump}
 * from one thread, as often as the checks should be looked at.
 */
public final class CheckFeed implements AutoCloseable {
    private static final int CAPACITY = 1 << 18;
    private Lab lab;
    private EventBus.Subscription subscription;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "flowlab-lesson-probe");
        t.setDaemon(true);
        return t;
    });
    private long dropped;
    /** Who holds each VIP, from the VipMoved facts seen so far: a check that starts later is told. */
    private final Map<String, String> vipHolders = new HashMap<>();
    private final Set<CheckRun> seeded = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private record Answer(String traceId, int status, String servedBy, String error) {
    }

    public CheckFeed(Lab lab) {
        attach(lab);
    }

    /** Follows another lab (the same scenario restarted after a {@code set}). */
    public synchronized void attach(Lab lab) {
        if (subscription != null) {
            dropped += subscription.dropped();
            subscription.close();
        }
        this.lab = lab;
        this.subscription = lab.events().subscribe(CAPACITY);
    }

    /** Events lost because the checks were not fed fast enough (the bus's buffer was full). */
    public synchronized long dropped() {
        return dropped + (subscription == null ? 0 : subscription.dropped());
    }

    /** Feeds every event since the last pump to every check, then sends the probes they want now and hands them the answers that came. */
    public synchronized void pump(Collection<CheckRun> checks, long now) {
        for (CheckRun c : checks) {
            if (seeded.add(c)) {
                c.seedHolders(vipHolders, now);
            }
        }
        LabEvent e;
        while ((e = subscription.poll()) != null) {
            if (e.fact() instanceof dev.flowlab.event.Fact.VipMoved m) {
                vipHolders.put(m.vip(), m.to());
            }
            for (CheckRun c : checks) {
                c.accept(e);
            }
        }
        Answer a;
        while ((a = answers.poll()) != null) {
            for (CheckRun c : checks) {
                c.probeAnswered(a.traceId, a.status, a.servedBy, a.error);
            }
        }
        for (CheckRun c : checks) {
            Probe p = c.probe(now);
            if (p != null) {
                send(p);
            }
        }
    }

    private void send(Probe p) {
        Lab target = lab;
        prober.execute(() -> answers.add(request(target, p)));
    }

    /** One HTTP/1.1 request on its own connection, like {@code curl -A UA http://entry/path}. */
    static Answer request(Lab lab, Probe p) {
        NodeSpec entry = lab.httpEntry().orElse(null);
        if (entry == null) {
            return new Answer(p.traceId(), 0, null, "the scenario has no HTTP entry");
        }
        InetSocketAddress at = lab.serviceAddress(entry.id());
        try (Socket s = new Socket()) {
            // From the browsers' own address, as curl on their machine would: a director or a deny list sees the same source.
            lab.scenario().nodesOfKind(dev.flowlab.topology.NodeKind.CLIENT).stream().findFirst()
                    .map(c -> lab.address(c.id())).ifPresent(own -> {
                        try {
                            s.bind(new InetSocketAddress(own.getAddress(), 0));
                        } catch (IOException e) {
                            // Any source will do.
                        }
                    });
            s.connect(at, 2_000);
            s.setSoTimeout(5_000);
            String req = p.method() + " " + p.path() + " HTTP/1.1\r\nHost: " + host(lab) + "\r\n"
                    + (p.userAgent() != null ? "User-Agent: " + p.userAgent() + "\r\n" : "")
                    + "Accept: */*\r\n" + LabHeaders.X_LAB_TRACE + ": " + p.traceId() + "\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = readHead(s.getInputStream());
            String[] lines = head.split("\r\n");
            String[] status = lines[0].split(" ");
            if (status.length < 2 || !status[0].startsWith("HTTP/")) {
                return new Answer(p.traceId(), 0, null, "not an HTTP response: " + lines[0]);
            }
            String servedBy = null;
            for (String l : List.of(lines).subList(1, lines.length)) {
                int colon = l.indexOf(':');
                if (colon > 0 && l.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("x-served-by")) {
                    servedBy = l.substring(colon + 1).trim();
                }
            }
            return new Answer(p.traceId(), Integer.parseInt(status[1]), servedBy, null);
        } catch (IOException | RuntimeException e) {
            return new Answer(p.traceId(), 0, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static String host(Lab lab) {
        return lab.scenario().nodesOfKind(dev.flowlab.topology.NodeKind.CLIENT).stream().findFirst()
                .map(c -> c.config() instanceof dev.flowlab.topology.ClientConfig cc && cc.host() != null ? cc.host() : null)
                .orElse("www.taobao.lab");
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && sb.length() < 16_384) {
            sb.append((char) b);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
        }
        prober.shutdownNow();
    }
}
