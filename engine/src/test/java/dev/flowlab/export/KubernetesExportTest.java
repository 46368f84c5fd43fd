package dev.flowlab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.RealServerSpec;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every library scenario's k8s/ folder: each file parses as YAML; every object has apiVersion, kind and a valid
 * metadata.name; each Deployment's selector matches its pod labels and mounts only volumes it declares, from
 * ConfigMaps the export wrote; each Service selects pods the export wrote, on a port those pods name; an LVS
 * director's Service selects exactly its real servers; an nginx.conf addresses its upstreams by Service name and port.
 * {@code kubectl kustomize} builds the folder where kubectl is installed (it needs no cluster; validating against the
 * API's schema does, so that is not done here).
 */
class KubernetesExportTest {
    private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<String> KINDS = Set.of("Deployment", "Service", "ConfigMap");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void everyLibraryScenarioExportsManifestsWhoseSelectorsPortsAndConfigMapsHoldTogether() throws Exception {
        Path kubectl = ExportLibrary.tool("/usr/bin/kubectl", "/usr/local/bin/kubectl");
        if (kubectl == null) {
            ExportLibrary.skipped("kubectl", "kubectl kustomize on the exported k8s/ folders (their structure is checked here)");
        }
        int objects = 0;
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            Path k8s = out.resolve("k8s");
            Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
            List<String> files;
            try (var list = Files.list(k8s)) {
                files = list.map(p -> p.getFileName().toString()).sorted().toList();
            }
            Map<String, Object> kustomization = null;
            for (String f : files) {
                String where = e.getKey() + " k8s/" + f;
                for (Object o : new Yaml().loadAll(Files.readString(k8s.resolve(f)))) {
                    if (o == null) {
                        continue;
                    }
                    Map<String, Object> doc = (Map<String, Object>) o;
                    String kind = (String) doc.get("kind");
                    assertThat(doc).as(where).containsKeys("apiVersion", "kind");
                    if (kind.equals("Kustomization")) {
                        kustomization = doc;
                        continue;
                    }
                    if (kind.equals("KubeProxyConfiguration")) {
                        assertEquals("ipvs", doc.get("mode"), where);
                        assertThat(List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "mh", "lblc", "lblcr", "dh"))
                                .contains((String) ((Map<String, Object>) doc.get("ipvs")).get("scheduler"));
                        continue;
                    }
                    assertThat(KINDS).as(where).contains(kind);
                    String name = (String) ((Map<String, Object>) doc.get("metadata")).get("name");
                    assertTrue(name != null && NAME.matcher(name).matches() || kind.equals("ConfigMap") && name.matches("[a-z0-9.-]+"), where + ": " + name);
                    assertThat(byKey.put(kind + "/" + name, doc)).as(where + ": " + kind + "/" + name + " twice").isNull();
                    objects++;
                }
            }
            assertThat(kustomization).as(e.getKey() + ": kustomization.yaml").isNotNull();
            assertEquals(files.stream().filter(f -> !f.equals("kustomization.yaml") && !f.equals("kube-proxy-ipvs.yaml")).toList(),
                    ((List<String>) kustomization.get("resources")).stream().sorted().toList(), e.getKey());
            // Deployments: selector = pod labels, named ports, mounts from declared volumes and existing ConfigMaps
            Map<String, Map<String, Object>> pods = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Object>> o : byKey.entrySet()) {
                if (!o.getKey().startsWith("Deployment/")) {
                    continue;
                }
                String where = e.getKey() + " " + o.getKey();
                Map<String, Object> spec = (Map<String, Object>) o.getValue().get("spec");
                Map<String, Object> template = (Map<String, Object>) spec.get("template");
                Map<String, String> labels = (Map<String, String>) ((Map<String, Object>) template.get("metadata")).get("labels");
                Map<String, String> match = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
                assertThat(labels).as(where).containsAllEntriesOf(match);
                Map<String, Object> podSpec = (Map<String, Object>) template.get("spec");
                List<Map<String, Object>> volumes = (List<Map<String, Object>>) podSpec.get("volumes");
                for (Map<String, Object> v : volumes) {
                    Map<String, Object> cm = (Map<String, Object>) v.get("configMap");
                    if (cm != null) {
                        assertThat(byKey).as(where).containsKey("ConfigMap/" + cm.get("name"));
                    }
                }
                for (Map<String, Object> c : (List<Map<String, Object>>) podSpec.get("containers")) {
                    assertThat(c).as(where).containsKeys("name", "image", "ports");
                    for (Map<String, Object> m : (List<Map<String, Object>>) c.get("volumeMounts")) {
                        assertThat(volumes).as(where).anyMatch(v -> v.get("name").equals(m.get("name")));
                    }
                }
                pods.put(o.getKey().substring("Deployment/".length()), podSpec);
                pods.put(o.getKey() + "#labels", (Map<String, Object>) (Map<String, ?>) labels);
            }
            // Services: every selector selects a pod of the export (a gateway's waits for its image), on a port the pod names
            for (Map.Entry<String, Map<String, Object>> o : byKey.entrySet()) {
                if (!o.getKey().startsWith("Service/")) {
                    continue;
                }
                String where = e.getKey() + " " + o.getKey();
                Map<String, Object> spec = (Map<String, Object>) o.getValue().get("spec");
                assertThat(List.of("ClusterIP", "LoadBalancer")).as(where).contains((String) spec.get("type"));
                Map<String, String> selector = (Map<String, String>) spec.get("selector");
                List<String> selected = new ArrayList<>();
                for (String d : pods.keySet()) {
                    if (d.endsWith("#labels") && ((Map<String, String>) (Map<String, ?>) pods.get(d)).entrySet().containsAll(selector.entrySet())) {
                        selected.add(d.substring("Deployment/".length(), d.length() - "#labels".length()));
                    }
                }
                String svc = o.getKey().substring("Service/".length());
                boolean gateway = s.nodes().stream().anyMatch(n -> n.kind() == NodeKind.GATEWAY && KubernetesExporter.name(n.id()).equals(svc));
                if (gateway) {
                    assertThat(selected).as(where).isEmpty();
                    continue;
                }
                assertThat(selected).as(where + " selects no pod").isNotEmpty();
                for (Map<String, Object> p : (List<Map<String, Object>>) spec.get("ports")) {
                    assertThat((Integer) p.get("port")).as(where).isBetween(1, 65535);
                    for (String pod : selected) {
                        List<Map<String, Object>> ports = new ArrayList<>();
                        for (Map<String, Object> c : (List<Map<String, Object>>) pods.get(pod).get("containers")) {
                            ports.addAll((List<Map<String, Object>>) c.get("ports"));
                        }
                        assertThat(ports).as(where + " -> " + pod + ": targetPort " + p.get("targetPort"))
                                .anyMatch(cp -> cp.get("name").equals(p.get("targetPort")));
                    }
                }
                // a director's Service selects exactly its real servers
                for (NodeSpec lvs : s.nodesOfKind(NodeKind.LVS)) {
                    String name = s.haGroupOf(lvs.id()).map(g -> KubernetesExporter.name(g.id())).orElse(KubernetesExporter.name(lvs.id()));
                    if (name.equals(svc)) {
                        List<String> real = KeepalivedExporter.realServers(s, lvs, Params.withDefaults(lvs.configAs(LvsConfig.class))).stream()
                                .map(RealServerSpec::node).filter(n -> n != null).map(KubernetesExporter::name).sorted().toList();
                        assertEquals(real, selected.stream().sorted().toList(), where);
                    }
                }
            }
            // an nginx.conf in a ConfigMap is the exporter's, with its upstreams at Services' names and ports
            for (NodeSpec n : s.nodesOfKind(NodeKind.NGINX)) {
                String where = e.getKey() + " " + n.id();
                Map<String, Object> cm = byKey.get("ConfigMap/" + KubernetesExporter.name(n.id()) + "-conf");
                String conf = ((Map<String, String>) cm.get("data")).get("nginx.conf");
                assertThat(conf).as(where).startsWith("# nginx.conf for the lab node").endsWith("}\n");
                Matcher m = Pattern.compile("server ([a-z0-9.-]+):(\\d+)").matcher(conf);
                int servers = 0;
                while (m.find()) {
                    Map<String, Object> svc = byKey.get("Service/" + m.group(1));
                    assertThat(svc).as(where + ": upstream " + m.group()).isNotNull();
                    List<Map<String, Object>> ports = (List<Map<String, Object>>) ((Map<String, Object>) svc.get("spec")).get("ports");
                    assertThat(ports).as(where + ": " + m.group()).anyMatch(p -> p.get("port").equals(Integer.parseInt(m.group(2))));
                    servers++;
                }
                assertThat(servers).as(where).isPositive();
            }
            if (kubectl != null) {
                ExportLibrary.Run r = ExportLibrary.run(Map.of("KUBECONFIG", "/dev/null"), kubectl.toString(), "kustomize", k8s.toString());
                assertEquals(0, r.exit(), e.getKey() + ": kubectl kustomize refused:\n" + r.output());
                assertThat(r.output()).as(e.getKey()).contains("kind: Deployment", "kind: Service");
            }
        }
        assertThat(objects).isGreaterThan(50);
    }
}
