package dev.flowlab.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Param;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyValidator;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The editor's check of a field that names things agrees with the engine's (NginxSite, TopologyValidator). */
class ReferencesTest {

    private static Param proxyPass() {
        RecordComponent c = Arrays.stream(NginxConfig.Location.class.getRecordComponents())
                .filter(r -> r.getName().equals("proxyPass")).findFirst().orElseThrow();
        return c.getAnnotation(Param.class);
    }

    private static Scenario scenario(String proxyPass) {
        NginxConfig cfg = NginxConfig.EMPTY.withUpstreams(List.of(new NginxConfig.Upstream("tomcats", null, null, null, null, null, null,
                        List.of(NginxConfig.Server.node("tomcat-1")))))
                .withLocations(List.of(NginxConfig.Location.proxy("/", proxyPass)));
        return new Scenario(Scenario.FORMAT, "t", null, List.of(NodeSpec.of("client", NodeKind.CLIENT),
                NodeSpec.of("nginx-1", NodeKind.NGINX).withConfig(cfg), NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "nginx-1"), LinkSpec.of("nginx-1", "tomcat-1")), null, null);
    }

    private static List<String> check(String proxyPass) {
        Scenario s = scenario(proxyPass);
        return new References(() -> s, "nginx-1").check(proxyPass(), proxyPass);
    }

    private static List<String> engineErrors(String proxyPass) {
        return TopologyValidator.validate(scenario(proxyPass)).stream().filter(p -> p.isError()).map(p -> p.message()).toList();
    }

    @Test
    void aProxyPassToHostPort_isAccepted_asTheEngineAcceptsIt() {
        for (String ok : List.of("127.0.0.1:8080", "127.0.0.1:8080/app/", "localhost:1", "example.org:65535", "tomcats", "tomcat-1",
                "tomcats/app/")) {
            assertThat(check(ok)).as(ok).isEmpty();
            assertThat(engineErrors(ok)).as("the engine on " + ok).isEmpty();
        }
    }

    @Test
    void aPortOutside1To65535_orNoPort_isRefused_byBoth() {
        for (String bad : List.of("127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", "nowhere", ":8080")) {
            assertThat(check(bad)).as(bad).singleElement().asString().contains("is neither an upstream of nginx-1 nor a node nor a host:port");
            assertThat(engineErrors(bad)).as("the engine on " + bad).singleElement().asString()
                    .contains("which is neither an upstream of nginx-1 nor a node nor a host:port");
        }
    }
}
