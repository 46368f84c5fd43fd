package dev.flowlab.export;

import static dev.flowlab.export.GatewayExporter.q;

import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.HealthCheck;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.RealServerSpec;
import dev.flowlab.topology.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes manifests where the mapping is honest: a Deployment and a Service per Tomcat and Nginx (the nginx.conf and
 * server.xml as ConfigMaps, upstreams addressed by Service name), a layer-4 director as a Service (kube-proxy in IPVS
 * mode is the director on every node: its scheduler and timeouts in kube-proxy-ipvs.yaml), an HA group as one Service
 * over its members (the Service's cluster IP stands for the VIP), a DNS node as a CoreDNS serving the exported zone, a
 * gateway's application.yml as a ConfigMap with its Service. Everything that does not map is a comment where it would go.
 */
public final class KubernetesExporter {
    public static final String COREDNS_IMAGE = "coredns/coredns:1.11.1";
    /** The container folder nginx's pid, logs, temp and cache paths live under (an emptyDir). */
    static final Path NGINX_RUN = Path.of("/var/lib/flowlab");
    private static final String PART_OF = "app.kubernetes.io/part-of";
    private static final String NAME = "app.kubernetes.io/name";

    private final Scenario s;
    private final Map<String, String> addresses;
    private final Map<String, String> vips;
    /** Each node's pod labels beyond its name (the Services of directors and HA groups select by them). */
    private final Map<String, Map<String, String>> extraLabels = new LinkedHashMap<>();
    /** A real server's readiness probe, from the first director that checks it. */
    private final Map<String, HealthCheck> probes = new LinkedHashMap<>();

    private KubernetesExporter(Scenario s) {
        this.s = s;
        this.addresses = ScenarioExporter.addresses(s);
        this.vips = ScenarioExporter.vips(s, addresses);
        for (NodeSpec n : s.nodesOfKind(NodeKind.LVS)) {
            LvsConfig c = Params.withDefaults(n.configAs(LvsConfig.class));
            HealthCheck h = Params.withDefaults(c.healthCheck() == null ? HealthCheck.DEFAULT : c.healthCheck());
            for (RealServerSpec r : KeepalivedExporter.realServers(s, n, c)) {
                if (r.node() != null) {
                    extraLabels.computeIfAbsent(r.node(), k -> new LinkedHashMap<>()).put(selectorKey(serviceOf(n)), "real-server");
                    probes.putIfAbsent(r.node(), h);
                }
            }
        }
        for (HaGroup g : s.haGroups()) {
            for (HaMember m : g.members()) {
                NodeSpec n = s.node(m.node()).orElse(null);
                if (n != null && n.kind() != NodeKind.LVS) {
                    extraLabels.computeIfAbsent(m.node(), k -> new LinkedHashMap<>()).put(selectorKey(name(g.id())), "member");
                }
            }
        }
    }

    /** File (relative to k8s/) -> text. */
    public static Map<String, String> export(Scenario s) {
        return new KubernetesExporter(s).files();
    }

    /** A Kubernetes object name (RFC 1035 label: lowercase letters, digits, '-', starting with a letter, at most 63). */
    public static String name(String id) {
        String n = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (n.isEmpty() || !Character.isLetter(n.charAt(0))) {
            n = "n-" + n;
        }
        return n.length() > 63 ? n.substring(0, 63).replaceAll("-+$", "") : n;
    }

    private static String selectorKey(String service) {
        return "flowlab.dev/" + service;
    }

    private static int port(String hostPort) {
        return KeepalivedExporter.port(hostPort);
    }

    /** The Service an LVS director is reached by: its HA group's (the VIP) or its own. */
    private String serviceOf(NodeSpec lvs) {
        return s.haGroupOf(lvs.id()).map(g -> name(g.id())).orElse(name(lvs.id()));
    }

    /** Each node as the other manifests address it: its Service name and port (external nodes keep their address). */
    private Map<String, String> serviceAddresses() {
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeSpec n : s.nodes()) {
            String a = addresses.get(n.id());
            if (a == null) {
                continue;
            }
            out.put(n.id(), switch (n.kind()) {
                case EXTERNAL -> a;
                case LVS -> serviceOf(n) + ":" + servicePort(n);
                default -> name(n.id()) + ":" + port(a);
            });
        }
        return out;
    }

    private int servicePort(NodeSpec lvs) {
        String vip = s.haGroupOf(lvs.id()).map(g -> vips.get(g.id())).orElse(addresses.get(lvs.id()));
        return port(vip);
    }

    /** Whether clients outside the cluster reach the node directly (a client, a DNS answer or a router links to it). */
    private boolean entry(String id) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(id);
        s.haGroupOf(id).ifPresent(g -> g.members().forEach(m -> ids.add(m.node())));
        for (LinkSpec l : s.links()) {
            NodeSpec from = s.node(l.from()).orElse(null);
            if (ids.contains(l.to()) && from != null && (from.kind() == NodeKind.CLIENT || from.kind() == NodeKind.DNS || from.kind() == NodeKind.ROUTER)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, String> files() {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> svc = serviceAddresses();
        List<String> notMapped = new ArrayList<>();
        Set<String> groupsWritten = new LinkedHashSet<>();
        for (NodeSpec n : s.nodes()) {
            StringBuilder b = new StringBuilder();
            header(b, n);
            switch (n.kind()) {
                case NGINX -> nginx(b, n, svc);
                case TOMCAT -> tomcat(b, n);
                case GATEWAY -> gateway(b, n, svc);
                case DNS -> dns(b, n);
                case LVS -> {
                    HaGroup g = s.haGroupOf(n.id()).orElse(null);
                    if (g != null && !groupsWritten.add(g.id())) {
                        continue;
                    }
                    lvs(b, n, g);
                }
                case CLIENT -> {
                    notMapped.add("# " + n.id() + " (client): the traffic, not a workload; point a load generator at the entry Service");
                    continue;
                }
                case EXTERNAL -> {
                    notMapped.add("# " + n.id() + " (external): stays outside the cluster; the manifests address it as " + addresses.get(n.id()));
                    continue;
                }
                case ROUTER -> {
                    notMapped.add("# " + n.id() + " (router, ECMP): the cloud's load balancer in front of the LoadBalancer Services does this");
                    continue;
                }
                default -> {
                    continue;
                }
            }
            out.put(name(n.id()) + ".yaml", b.toString());
        }
        for (HaGroup g : s.haGroups()) {
            boolean directors = g.members().stream().anyMatch(m -> s.node(m.node()).map(x -> x.kind() == NodeKind.LVS).orElse(false));
            if (!directors) {
                out.put(name(g.id()) + ".yaml", haService(g));
            }
        }
        List<NodeSpec> directors = s.nodesOfKind(NodeKind.LVS);
        if (!directors.isEmpty()) {
            out.put("kube-proxy-ipvs.yaml", kubeProxy(directors));
        }
        out.put("kustomization.yaml", kustomization(out.keySet(), notMapped));
        return out;
    }

    private void header(StringBuilder b, NodeSpec n) {
        b.append("# Kubernetes manifests for the lab node '").append(n.id()).append("' (").append(n.kind().id())
                .append("), exported by Request Flow Lab. Apply: kubectl apply -k k8s/\n");
    }

    private void metadata(StringBuilder b, String name, String indent) {
        b.append(indent).append("metadata:\n");
        b.append(indent).append("  name: ").append(q(name)).append('\n');
        b.append(indent).append("  labels:\n");
        b.append(indent).append("    ").append(NAME).append(": ").append(q(name)).append('\n');
        b.append(indent).append("    ").append(PART_OF).append(": \"flowlab\"\n");
    }

    private static void configMap(StringBuilder b, String name, Map<String, String> data) {
        b.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ").append(q(name)).append('\n');
        b.append("  labels:\n    ").append(PART_OF).append(": \"flowlab\"\ndata:\n");
        for (Map.Entry<String, String> e : data.entrySet()) {
            b.append("  ").append(q(e.getKey())).append(": |\n");
            for (String line : e.getValue().split("\n", -1)) {
                if (!line.isEmpty()) {
                    b.append("    ").append(line);
                }
                b.append('\n');
            }
            // split keeps a last empty piece for the final newline: one line too many
            b.setLength(b.length() - 1);
        }
    }

    /** A Deployment of one replica: the lab node is one process. */
    private void deployment(StringBuilder b, NodeSpec n, String image, int port, List<String> command, String configMap, String mountPath,
                            String subPath, String emptyDir, List<String> comments) {
        String name = name(n.id());
        b.append("---\napiVersion: apps/v1\nkind: Deployment\n");
        metadata(b, name, "");
        b.append("spec:\n");
        b.append("  replicas: 1   # the lab node is one process; more replicas are more of the same node\n");
        b.append("  selector:\n    matchLabels:\n      ").append(NAME).append(": ").append(q(name)).append('\n');
        b.append("  template:\n");
        b.append("    metadata:\n      labels:\n        ").append(NAME).append(": ").append(q(name)).append('\n');
        b.append("        ").append(PART_OF).append(": \"flowlab\"\n");
        for (Map.Entry<String, String> e : extraLabels.getOrDefault(n.id(), Map.of()).entrySet()) {
            b.append("        ").append(e.getKey()).append(": ").append(q(e.getValue())).append('\n');
        }
        b.append("    spec:\n      containers:\n        - name: ").append(q(name)).append('\n');
        b.append("          image: ").append(q(image)).append('\n');
        for (String c : comments) {
            b.append("          # ").append(c).append('\n');
        }
        if (command != null) {
            b.append("          command: [").append(String.join(", ", command.stream().map(GatewayExporter::q).toList())).append("]\n");
        }
        b.append("          ports:\n            - name: \"http\"\n              containerPort: ").append(port).append('\n');
        probe(b, n);
        b.append("          volumeMounts:\n            - name: \"config\"\n              mountPath: ").append(q(mountPath)).append('\n');
        if (subPath != null) {
            b.append("              subPath: ").append(q(subPath)).append('\n');
        }
        if (emptyDir != null) {
            b.append("            - name: \"run\"\n              mountPath: ").append(q(emptyDir)).append('\n');
        }
        b.append("      volumes:\n        - name: \"config\"\n          configMap:\n            name: ").append(q(configMap)).append('\n');
        if (emptyDir != null) {
            b.append("        - name: \"run\"\n          emptyDir: {}\n");
        }
    }

    /** A director's health check as the real server's readiness probe: kube-proxy sends only to ready endpoints. */
    private void probe(StringBuilder b, NodeSpec n) {
        HealthCheck h = probes.get(n.id());
        if (h == null) {
            b.append("          readinessProbe:\n            tcpSocket:\n              port: \"http\"\n            periodSeconds: 5\n");
            return;
        }
        if ("NONE".equals(h.type())) {
            b.append("          # the director checks nothing (healthCheck NONE): no readiness probe\n");
            return;
        }
        b.append("          # the director's ").append(h.type()).append(" as a readiness probe (keepalived's delay_loop, connect_timeout, retry)\n");
        b.append("          readinessProbe:\n");
        if ("HTTP_GET".equals(h.type())) {
            b.append("            httpGet:\n              path: ").append(q(h.path())).append("\n              port: \"http\"\n");
            if (h.statusCode() != null && (h.statusCode() < 200 || h.statusCode() > 399)) {
                b.append("            # keepalived wants status ").append(h.statusCode()).append("; a probe passes on any 200-399\n");
            } else if (h.statusCode() != null && h.statusCode() != 200) {
                b.append("            # keepalived wants exactly ").append(h.statusCode()).append("; a probe passes on any 200-399\n");
            }
        } else {
            b.append("            tcpSocket:\n              port: \"http\"\n");
        }
        b.append("            periodSeconds: ").append(Math.max(1, h.delayLoop().toSeconds())).append('\n');
        b.append("            timeoutSeconds: ").append(Math.max(1, h.connectTimeout().toSeconds())).append('\n');
        b.append("            failureThreshold: ").append(h.retry() + 1).append('\n');
        if (h.delayBeforeRetry() != null && !h.delayBeforeRetry().equals(h.delayLoop())) {
            b.append("            # delay_before_retry ").append(KeepalivedExporter.secs(h.delayBeforeRetry()))
                    .append("s: a probe retries at periodSeconds\n");
        }
        if (Boolean.TRUE.equals(h.inhibitOnFailure())) {
            b.append("            # inhibit_on_failure (weight 0 instead of removal): an unready endpoint is removed\n");
        }
    }

    private void service(StringBuilder b, String name, String type, int port, Map<String, String> selector, List<String> comments, String extra) {
        b.append("---\napiVersion: v1\nkind: Service\n");
        metadata(b, name, "");
        for (String c : comments) {
            b.append("# ").append(c).append('\n');
        }
        b.append("spec:\n  type: ").append(type).append('\n');
        b.append("  selector:\n");
        for (Map.Entry<String, String> e : selector.entrySet()) {
            b.append("    ").append(e.getKey()).append(": ").append(q(e.getValue())).append('\n');
        }
        if (extra != null) {
            b.append(extra);
        }
        b.append("  ports:\n    - name: \"http\"\n      protocol: TCP\n      port: ").append(port).append("\n      targetPort: \"http\"\n");
    }

    private String type(NodeSpec n) {
        return entry(n.id()) ? "LoadBalancer" : "ClusterIP";
    }

    private void nginx(StringBuilder b, NodeSpec n, Map<String, String> svc) {
        int port = port(addresses.get(n.id()));
        String conf = NginxExporter.export(n, String.valueOf(port), svc, NGINX_RUN,
                s.downstreamOf(n.id()).stream().map(NodeSpec::id).toList());
        String run = NGINX_RUN.resolve("run").resolve(n.id()).toString();
        String name = name(n.id());
        b.append("# nginx.conf is the exported one with every upstream addressed by its Service name (nginx resolves them when it\n");
        b.append("# starts: apply the upstreams' Services first, or nginx exits until they exist).\n");
        configMap(b, name + "-conf", Map.of("nginx.conf", conf));
        deployment(b, n, ComposeExporter.NGINX_IMAGE, port, List.of("sh", "-c", "mkdir -p " + run + "/logs " + run + "/temp " + run
                        + "/cache " + NGINX_RUN.resolve("site") + " && exec nginx -c /etc/flowlab/nginx.conf"), name + "-conf", "/etc/flowlab", null,
                NGINX_RUN.toString(), List.of("the lab's demo site (root \"\") is an empty folder here: mount your files at " + NGINX_RUN.resolve("site")));
        service(b, name, type(n), port, Map.of(NAME, name), List.of(), null);
    }

    private void tomcat(StringBuilder b, NodeSpec n) {
        int port = port(addresses.get(n.id()));
        String name = name(n.id());
        configMap(b, name + "-server-xml", Map.of("server.xml", TomcatExporter.export(n, "0.0.0.0:" + port)));
        deployment(b, n, ComposeExporter.TOMCAT_IMAGE, port, null, name + "-server-xml", "/usr/local/tomcat/conf/server.xml", "server.xml", null,
                List.of("no application: deploy yours into webapps (the lab's demo servlets and serviceTime are not exported)"));
        service(b, name, type(n), port, Map.of(NAME, name), List.of(), null);
    }

    private void gateway(StringBuilder b, NodeSpec n, Map<String, String> svc) {
        int port = port(addresses.get(n.id()));
        String name = name(n.id());
        b.append("# A Spring Cloud Gateway application to build: no image here, so no Deployment. Its application.yml (routes\n");
        b.append("# addressed by Service name) is this ConfigMap; run your image with it at /config/application.yml, its pods\n");
        b.append("# labelled ").append(NAME).append(": \"").append(name).append("\" and a container port named http, and this Service selects them.\n");
        configMap(b, name + "-application-yml", Map.of("application.yml", GatewayExporter.export(s, n, "0.0.0.0:" + port, svc)));
        service(b, name, type(n), port, Map.of(NAME, name), List.of(), null);
    }

    private void dns(StringBuilder b, NodeSpec n) {
        String zone = DnsExporter.zoneName(n);
        int port = port(addresses.get(n.id()));
        String name = name(n.id());
        b.append("# The zone in a CoreDNS of its own (the file plugin). Inside the cluster, the cluster's DNS already answers each\n");
        b.append("# Service's name (SERVICE.NAMESPACE.svc.cluster.local); this zone is for clients outside it. Its A records are the\n");
        b.append("# lab's loopback VIPs: PLACEHOLDERS for the LoadBalancer Services' external IPs (kubectl get svc).\n");
        configMap(b, name + "-zone", Map.of("Corefile", zone + ":" + port + " {\n    file /etc/coredns/" + zone + ".zone\n    log\n    errors\n}\n",
                zone + ".zone", DnsExporter.zoneFile(s, n, addresses, vips)));
        b.append("---\napiVersion: apps/v1\nkind: Deployment\n");
        metadata(b, name, "");
        b.append("spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      ").append(NAME).append(": ").append(q(name)).append('\n');
        b.append("  template:\n    metadata:\n      labels:\n        ").append(NAME).append(": ").append(q(name)).append('\n');
        b.append("        ").append(PART_OF).append(": \"flowlab\"\n");
        b.append("    spec:\n      containers:\n        - name: \"coredns\"\n          image: ").append(q(COREDNS_IMAGE)).append('\n');
        b.append("          args: [\"-conf\", \"/etc/coredns/Corefile\"]\n");
        b.append("          ports:\n            - name: \"dns\"\n              containerPort: ").append(port).append("\n              protocol: UDP\n");
        b.append("            - name: \"dns-tcp\"\n              containerPort: ").append(port).append("\n              protocol: TCP\n");
        b.append("          volumeMounts:\n            - name: \"config\"\n              mountPath: \"/etc/coredns\"\n");
        b.append("      volumes:\n        - name: \"config\"\n          configMap:\n            name: ").append(q(name + "-zone")).append('\n');
        b.append("---\napiVersion: v1\nkind: Service\n");
        metadata(b, name, "");
        b.append("spec:\n  type: ").append(type(n)).append("\n  selector:\n    ").append(NAME).append(": ").append(q(name)).append('\n');
        b.append("  ports:\n    - name: \"dns\"\n      protocol: UDP\n      port: 53\n      targetPort: \"dns\"\n");
        b.append("    - name: \"dns-tcp\"\n      protocol: TCP\n      port: 53\n      targetPort: \"dns-tcp\"\n");
    }

    private void lvs(StringBuilder b, NodeSpec n, HaGroup g) {
        LvsConfig c = Params.withDefaults(n.configAs(LvsConfig.class));
        String name = serviceOf(n);
        List<String> comments = new ArrayList<>();
        comments.add("The layer-4 director: kube-proxy in IPVS mode on every node is the LVS director of every Service, and this");
        comments.add("Service's address is the virtual service (ipvsadm -A). Its scheduler (" + c.scheduler() + ") and connection timeouts are");
        comments.add("kube-proxy's, for the whole cluster: kube-proxy-ipvs.yaml. kube-proxy forwards by NAT (masquerade) for every Service;");
        comments.add("the lab's " + ("nat".equals(c.mode()) ? "NAT" : "direct routing (DR: replies bypass the director)") + " is not a Service setting.");
        if (g != null) {
            comments.add("HA group " + g.id() + " (keepalived VRRP, VIP " + vips.get(g.id()) + "): one Service; kube-proxy runs on every node, so no");
            comments.add("master/backup pair, priority or preemption exists to configure: directors " + String.join(", ",
                    g.members().stream().map(HaMember::node).toList()) + " are this one Service.");
        }
        for (RealServerSpec r : KeepalivedExporter.realServers(s, n, c)) {
            String who = r.node() != null ? r.node() : r.address();
            StringBuilder line = new StringBuilder("real server " + who + ": ");
            if (r.node() == null) {
                line.append("outside the lab: not selectable by a Service selector (an EndpointSlice would list it)");
            } else {
                line.append("selected by the label ").append(selectorKey(name)).append("; weight ").append(r.weight() == null ? 1 : r.weight())
                        .append(" has no Service equivalent (endpoints are equal)");
            }
            if (r.upperThreshold() != null && r.upperThreshold() > 0) {
                line.append("; uthreshold ").append(r.upperThreshold()).append(" has none either");
            }
            comments.add(line.toString());
        }
        if ("mh".equals(c.scheduler())) {
            comments.add("mh: the lab's Maglev table has " + c.mhTableSize() + " slots; IPVS's is fixed when the kernel is built");
        }
        comments.add("the lab's table bound (maxConnectionEntries " + c.maxConnectionEntries() + ") has no kube-proxy setting");
        String extra = null;
        if (Boolean.TRUE.equals(c.persistent())) {
            extra = "  # ipvsadm -p " + c.persistenceTimeout().toSeconds() + ": a client's connections stay on one real server\n"
                    + "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: "
                    + Math.max(1, c.persistenceTimeout().toSeconds()) + "\n";
        }
        service(b, name, entry(n.id()) ? "LoadBalancer" : "ClusterIP", servicePort(n), Map.of(selectorKey(name), "real-server"), comments, extra);
    }

    private String haService(HaGroup g) {
        String name = name(g.id());
        StringBuilder b = new StringBuilder();
        b.append("# The HA group '").append(g.id()).append("' (keepalived VRRP, VIP ").append(vips.get(g.id()))
                .append("), exported by Request Flow Lab: one Service over its members.\n");
        List<String> comments = List.of(
                "The Service's address stands for the VIP, but kube-proxy sends to every ready member, not to one master:",
                "priority, nopreempt, preempt_delay, advert_int and virtual_router_id have no Kubernetes equivalent, and the",
                "members' readiness probes replace the track_script. For one active member at a time, run one replica.");
        String member = g.members().isEmpty() ? null : g.members().get(0).node();
        int port = port(vips.get(g.id()));
        service(b, name, member != null && entry(member) ? "LoadBalancer" : "ClusterIP", port, Map.of(selectorKey(name), "member"), comments, null);
        return b.toString();
    }

    private String kubeProxy(List<NodeSpec> directors) {
        LvsConfig c = Params.withDefaults(directors.get(0).configAs(LvsConfig.class));
        StringBuilder b = new StringBuilder();
        b.append("# kube-proxy in IPVS mode: the cluster's layer-4 director, exported by Request Flow Lab from '").append(directors.get(0).id())
                .append("'.\n");
        b.append("# Not a resource to apply: it is kube-proxy's own configuration (the config.conf key of the kube-system/kube-proxy\n");
        b.append("# ConfigMap with kubeadm, or kube-proxy --config FILE), and it is cluster-wide: one scheduler for every Service.\n");
        b.append("# The nodes need the ip_vs, ip_vs_").append(c.scheduler()).append(" and nf_conntrack kernel modules.\n");
        for (NodeSpec d : directors.subList(1, directors.size())) {
            LvsConfig o = Params.withDefaults(d.configAs(LvsConfig.class));
            if (!o.scheduler().equals(c.scheduler()) || !o.tcpTimeout().equals(c.tcpTimeout()) || !o.tcpFinTimeout().equals(c.tcpFinTimeout())) {
                b.append("# director ").append(d.id()).append(" (scheduler ").append(o.scheduler()).append(", tcp ").append(o.tcpTimeout().toSeconds())
                        .append("s, tcpfin ").append(o.tcpFinTimeout().toSeconds()).append("s) differs: kube-proxy has one setting for all\n");
            }
        }
        if (Boolean.TRUE.equals(c.sloppyTcp())) {
            b.append("# sloppyTcp is the sysctl net.ipv4.vs.sloppy_tcp=1 on every node (no kube-proxy setting)\n");
        }
        if ("mh".equals(c.scheduler()) && Boolean.TRUE.equals(c.mhPort())) {
            b.append("# mh-port: kube-proxy sets no scheduler flags\n");
        }
        b.append("apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: \"ipvs\"\nipvs:\n");
        b.append("  scheduler: ").append(q(c.scheduler())).append('\n');
        b.append("  tcpTimeout: ").append(q(c.tcpTimeout().toSeconds() + "s")).append('\n');
        b.append("  tcpFinTimeout: ").append(q(c.tcpFinTimeout().toSeconds() + "s")).append('\n');
        return b.toString();
    }

    private static String kustomization(Set<String> files, List<String> notMapped) {
        StringBuilder b = new StringBuilder();
        b.append("# kubectl apply -k k8s/   (kubectl kustomize k8s/ prints the whole), exported by Request Flow Lab.\n");
        b.append("# Every object is in the current namespace; the images are the official nginx:1.22, tomcat:10 and coredns.\n");
        if (files.contains("kube-proxy-ipvs.yaml")) {
            b.append("# kube-proxy-ipvs.yaml is kube-proxy's configuration, not a resource: it is not listed here.\n");
        }
        b.append("# Not in the manifests:\n");
        notMapped.forEach(l -> b.append(l).append('\n'));
        b.append("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
        for (String f : files) {
            if (!f.equals("kube-proxy-ipvs.yaml")) {
                b.append("  - ").append(q(f)).append('\n');
            }
        }
        return b.toString();
    }
}
