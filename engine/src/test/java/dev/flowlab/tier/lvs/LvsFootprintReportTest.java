package dev.flowlab.tier.lvs;

import dev.flowlab.testing.TestLabs;
import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.control.ControlServer;
import dev.flowlab.runtime.Lab;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The director's footprint (measured sockets next to modelled kernel cost) reaches `lab run`'s report and the control API. */
class LvsFootprintReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestLabs stub;

    @BeforeEach
    void stubNginx() {
        stub = LvsScenarios.stubNginx();
    }


    @Test
    void labRun_natReport_listsTheDirectorsSocketsAsMeasured_andKernelIpvsAsModelled() throws Exception {
        RunReport report = LabRun.execute(LvsScenarios.director(LvsScenarios.config("nat", "rr"), 2),
                new RunOptions(Duration.ofSeconds(1), null, 4, List.of(), null));

        assertThat(report.ok()).isPositive();
        RunReport.Footprint f = report.footprint().get("lvs");
        assertThat(f.mode()).isEqualTo("nat");
        assertThat(f.measured().sockets()).as("NAT: two sockets per client connection in the lab").isEqualTo(8);
        // One entry per client connection the director saw (four at most); on a loaded machine the
        // footprint can be taken while one of the four is between a close and its reconnect.
        assertThat(f.measured().activeEntries()).isBetween(1, 4);
        assertThat(f.measured().tableEntries()).isGreaterThanOrEqualTo(f.measured().activeEntries());
        assertThat(f.modelled().kernelIpvsSockets()).isZero();
        assertThat(f.modelled().kernelIpvsTableBytes()).isEqualTo(f.measured().tableEntries() * 128L);
        assertThat(f.modelled().userSpaceRelaySockets()).isEqualTo(8);

        JsonNode json = JSON.readTree(report.toJson()).path("footprint").path("lvs");
        assertThat(json.path("measured").path("sockets").asInt()).isEqualTo(8);
        assertThat(json.path("modelled").has("kernel_ipvs_table_bytes")).isTrue();
        assertThat(RunReport.fromJson(report.toJson()).footprint()).isEqualTo(report.footprint());
        assertThat(report.summaryTable()).contains("layer-4 footprint").contains("lab (measured): 8 sockets")
                .contains("kernel IPVS (modelled): 0 sockets");
    }

    @Test
    void labRun_drReport_theDirectorHoldsNoSocket() {
        RunReport report = LabRun.execute(LvsScenarios.director(LvsScenarios.config("dr", "rr"), 2),
                new RunOptions(Duration.ofSeconds(1), null, 4, List.of(), null));

        RunReport.Footprint f = report.footprint().get("lvs");
        assertThat(f.mode()).isEqualTo("dr");
        assertThat(f.measured().sockets()).isZero();
        // One entry per client connection the director saw (four at most); on a loaded machine the
        // footprint can be taken while one of the four is between a close and its reconnect.
        assertThat(f.measured().activeEntries()).isBetween(1, 4);
        assertThat(f.measured().tableEntries()).isGreaterThanOrEqualTo(f.measured().activeEntries());
    }

    @Test
    void controlApi_topology_showsTheFootprintOfTheDirector() throws Exception {
        try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config("nat", "rr"), 2))) {
            lab.start();
            List<Socket> clients = new ArrayList<>();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                for (int i = 0; i < 3; i++) {
                    Socket s = Http.connect(lab.address("lvs"));
                    clients.add(s);
                    assertThat(Http.get(s).get(":status")).isEqualTo("200");
                }
                HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + control.address().getPort() + "/api/topology")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode lvs = null;
                for (JsonNode n : JSON.readTree(res.body()).path("nodes")) {
                    if (n.path("id").asText().equals("lvs")) {
                        lvs = n;
                    }
                }
                assertThat(lvs).isNotNull();
                assertThat(lvs.path("footprint").path("mode").asText()).isEqualTo("nat");
                assertThat(lvs.path("footprint").path("measured").path("sockets").asInt()).isEqualTo(6);
                assertThat(lvs.path("footprint").path("modelled").path("kernel_ipvs_sockets").asInt()).isZero();
                assertThat(lvs.path("footprint").path("modelled").path("user_space_relay_sockets").asInt()).isEqualTo(6);
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }
}
