package dev.flowlab.app.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The desktop app's layers, kept by the build (JabRef's MainArchitectureTest is the model; the
 * engine's are in EngineArchitectureTest): the app uses the engine through its public API only, and
 * its own packages have no cycles. The picture in the README's "How it is built" shows both.
 */
@AnalyzeClasses(packages = "dev.flowlab.app", importOptions = ImportOption.DoNotIncludeTests.class)
class AppArchitectureTest {

    /**
     * The engine packages the app may use: what it used when this rule was written (the model and
     * its files, the composition root, the running lab and its events, metrics, live activity and
     * traces, {@code lab run}'s report, the CLI entry, the HA facade for keepalived's menu items, the
     * published scale figures), {@code lesson} (the lessons the app is about to show), {@code visit}
     * (the search box's browser visit), {@code explain} (the why of each hop) and {@code export}
     * (File -> Export, the same exporter as {@code lab export}), {@code record} (File -> Open
     * Recording: the reader and the player, as {@code lab replay} uses them). Not the tiers, their plumbing
     * ({@code net}), the load client, the balancing algorithms or control.
     */
    static final String[] ENGINE_API = {
        "dev.flowlab.topology..", "dev.flowlab.scenario..", "dev.flowlab.stack..", "dev.flowlab.runtime..",
        "dev.flowlab.event..", "dev.flowlab.metrics..", "dev.flowlab.live..", "dev.flowlab.trace..",
        "dev.flowlab.run..", "dev.flowlab.cli..", "dev.flowlab.ha..", "dev.flowlab.scale..", "dev.flowlab.lesson..",
        "dev.flowlab.visit..", "dev.flowlab.explain..", "dev.flowlab.export..", "dev.flowlab.record..",
    };

    @ArchTest
    static final ArchRule usesTheEnginesPublicApiOnly = noClasses().that().resideInAPackage("dev.flowlab.app..")
            .should().dependOnClassesThat(resideInAPackage("dev.flowlab..")
                    .and(not(resideInAPackage("dev.flowlab.app..")))
                    .and(not(resideInAnyPackage(ENGINE_API))))
            .because("the app uses the engine's public API only (DESIGN.md)");

    @ArchTest
    static final ArchRule neverTheTiersOrTheirPlumbing = noClasses().that().resideInAPackage("dev.flowlab.app..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.flowlab.tier..", "dev.flowlab.net..");

    @ArchTest
    static final ArchRule noCyclesBetweenAppPackages = slices().matching("dev.flowlab.app.(*)..")
            .should().beFreeOfCycles();
}
