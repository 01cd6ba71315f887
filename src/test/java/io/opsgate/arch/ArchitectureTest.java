package io.opsgate.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of the developers' guide, checked on the main classes: packages by capability with no cycle
 * between them, {@code config} a leaf that turns YAML into plain records, the alert model free of OpsGate types,
 * and no subpackage of {@code alerts} reaching back into its root package.
 */
@AnalyzeClasses(packages = "io.opsgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Every package is its own slice ({@code io.opsgate.alerts} and {@code io.opsgate.alerts.routing} are two). */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.opsgate.(**)").should().beFreeOfCycles();

    /** The root package ({@code OpsGateService}, {@code ConfigCheck}) wires everything, so nothing may use it. */
    @ArchTest
    static final ArchRule nothingDependsOnTheCompositionRoot = noClasses()
            .that().resideInAPackage("io.opsgate..").and().resideOutsideOfPackages("io.opsgate", "io.opsgate.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.opsgate");

    @ArchTest
    static final ArchRule configImportsNoCapabilityPackage = noClasses()
            .that().resideInAPackage("io.opsgate.config..")
            .should().dependOnClassesThat(resideInAPackage("io.opsgate..").and(not(resideInAPackage("io.opsgate.config.."))))
            .because("config turns YAML into plain records; the capability packages read them, not the reverse");

    @ArchTest
    static final ArchRule alertModelHasNoOpsGateDependencies = noClasses()
            .that().resideInAPackage("io.opsgate.alerts.model..")
            .should().dependOnClassesThat(resideInAPackage("io.opsgate..")
                    .and(not(resideInAPackage("io.opsgate.alerts.model.."))));

    @ArchTest
    static final ArchRule alertsSubpackagesDoNotUseTheirRoot = noClasses()
            .that().resideInAPackage("io.opsgate.alerts.(*)..")
            .should().dependOnClassesThat().resideInAPackage("io.opsgate.alerts");
}
