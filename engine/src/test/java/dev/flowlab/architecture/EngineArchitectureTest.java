package dev.flowlab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine's layers, kept by the build (JabRef's MainArchitectureTest is the model). The picture
 * in the README's "How it is built" is this file drawn.
 */
@AnalyzeClasses(packages = "dev.flowlab", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineArchitectureTest {

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("dev.flowlab.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCyclesBetweenTiers = slices().matching("dev.flowlab.tier.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noJavaFx = noClasses().should().dependOnClassesThat().resideInAPackage("javafx..");

    @ArchTest
    static final ArchRule eventDependsOnNothingAbove = noClasses().that().resideInAPackage("dev.flowlab.event..")
            .should().dependOnClassesThat().resideInAnyPackage(above("event"));

    @ArchTest
    static final ArchRule topologyDependsOnNothingAbove = noClasses().that().resideInAPackage("dev.flowlab.topology..")
            .should().dependOnClassesThat().resideInAnyPackage(above("topology", "event"));

    @ArchTest
    static final ArchRule scenarioDependsOnNothingAbove = noClasses().that().resideInAPackage("dev.flowlab.scenario..")
            .should().dependOnClassesThat().resideInAnyPackage(above("scenario", "topology", "event"));

    @ArchTest
    static final ArchRule runtimeKnowsNoTierAndNoHa = noClasses().that().resideInAPackage("dev.flowlab.runtime..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.flowlab.tier..", "dev.flowlab.ha..",
                    "dev.flowlab.client..", "dev.flowlab.cli..", "dev.flowlab.control..");

    @ArchTest
    static final ArchRule tierHoldsTheTiersOnly = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage("dev.flowlab.tier..")
            .should().resideInAnyPackage("dev.flowlab.tier.dns..", "dev.flowlab.tier.lvs..", "dev.flowlab.tier.nginx..",
                    "dev.flowlab.tier.gateway..", "dev.flowlab.tier.tomcat..", "dev.flowlab.tier.router..");

    @ArchTest
    static final ArchRule plumbingKnowsNoTier = noClasses().that().resideInAPackage("dev.flowlab.net..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.flowlab.tier..", "dev.flowlab.stack..",
                    "dev.flowlab.cli..", "dev.flowlab.run..");

    @ArchTest
    static final ArchRule tiersAreKnownOnlyToTheCompositionRoot = noClasses().that()
            .resideOutsideOfPackages("dev.flowlab.tier..", "dev.flowlab.stack..")
            .should().dependOnClassesThat().resideInAPackage("dev.flowlab.tier..");

    @ArchTest
    static final ArchRule onlyTheCompositionRootKnowsEveryTier = noClasses().that()
            .resideInAnyPackage("dev.flowlab.runtime..", "dev.flowlab.ha..", "dev.flowlab.client..", "dev.flowlab.metrics..",
                    "dev.flowlab.live..", "dev.flowlab.trace..", "dev.flowlab.event..", "dev.flowlab.topology..",
                    "dev.flowlab.scenario..", "dev.flowlab.balance..")
            .should().dependOnClassesThat().resideInAPackage("dev.flowlab.stack..");

    /** Every engine package except the allowed ones. */
    private static String[] above(String... allowed) {
        java.util.Set<String> ok = java.util.Set.of(allowed);
        return java.util.stream.Stream.of("topology", "scenario", "runtime", "tier", "ha", "balance", "client",
                        "run", "event", "metrics", "live", "trace", "control", "cli", "export", "stack", "net", "lesson", "visit", "explain")
                .filter(p -> !ok.contains(p)).map(p -> "dev.flowlab." + p + "..").toArray(String[]::new);
    }
}
