package dev.strangler.core;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * {@code core} is plain Java: routing, stages and rewrites are computed without I/O so they can be
 * unit-tested without sockets and called from any event loop. HTTP, Netty, JDBC, migrations and
 * metrics belong to {@code gateway} and {@code store}.
 */
@AnalyzeClasses(packages = "dev.strangler.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreHasNoIoDependenciesTest {

    @ArchTest
    static final ArchRule coreDependsOnNoNetworkingDatabaseOrMetricsLibrary = noClasses()
            .that().resideInAPackage("dev.strangler.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.vertx..", "io.netty..", "java.sql..", "java.net.http..", "org.flywaydb..", "io.micrometer..")
            .because("core must stay free of I/O: the gateway and the store carry out what core decides");
}
