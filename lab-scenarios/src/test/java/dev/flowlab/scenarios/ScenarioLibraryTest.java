package dev.flowlab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.scenario.ScenarioCheck;
import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every file of the library: reads without a problem, is in canonical form, and is a topology the lab can run. */
class ScenarioLibraryTest {

    /** Surefire runs with the module directory as the working directory: the JSON files sit there. */
    private static List<Path> libraryFiles() throws IOException {
        try (Stream<Path> files = Files.list(Paths.get(""))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void theLibraryHasTheStartingPointAndTheDefault() throws IOException {
        assertThat(libraryFiles()).extracting(p -> p.getFileName().toString()).contains("01-single-tomcat.json", "default.json");
    }

    @TestFactory
    Stream<DynamicTest> everyFile_readsCleanly_isCanonical_andValidates() throws IOException {
        return libraryFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ScenarioCheck check = ScenarioIO.check(file);
            assertThat(check.errors()).as("problems in " + file).isEmpty();

            Scenario scenario = ScenarioIO.read(file);
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            assertThat(ScenarioIO.toJson(scenario)).as("canonical form of " + file + " (rewrite it with ScenarioIO.write)")
                    .isEqualTo(bytes);

            assertThat(TopologyValidator.validate(scenario)).filteredOn(TopologyProblem::isError).isEmpty();
            assertThat(scenario.name()).isNotBlank();
            assertThat(scenario.description()).isNotBlank();
            assertThat(scenario.nodes()).allSatisfy(n -> assertThat(n.position()).as("canvas position of " + n.id()).isNotNull());
        }));
    }

    @Test
    void names_listTheLibrary() {
        assertThat(ScenarioLibrary.names()).contains("01-single-tomcat", "default");
    }

    @Test
    void load_findsLibraryScenariosByName_withOrWithoutJson() throws ScenarioException {
        Scenario byName = ScenarioLibrary.load("default");

        assertThat(byName.name()).isEqualTo("The Taobao question");
        assertThat(ScenarioLibrary.load("default.json")).isEqualTo(byName);
        assertThat(ScenarioLibrary.load("01-single-tomcat").nodesOfKind(NodeKind.TOMCAT)).hasSize(1);
    }

    @Test
    void load_unknownName_listsTheKnownOnes() {
        ScenarioException e = org.assertj.core.api.Assertions.catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLibrary.load("02-nginx-typo"));

        assertThat(e.getMessage()).contains("no library scenario '02-nginx-typo'").contains("the library has: 01-single-tomcat")
                .contains("default");
    }

    @Test
    void defaultTraffic_isOpenLoopAt200PerSecondFor10Seconds() throws ScenarioException {
        var traffic = ScenarioLibrary.load("default").effectiveTraffic();

        assertThat(traffic.mode()).isEqualTo("open");
        assertThat(traffic.rps()).isEqualTo(200.0);
        assertThat(traffic.duration()).hasSeconds(10);
    }
}
