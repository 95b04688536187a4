package io.pers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pers.api.Allow;
import io.pers.api.Unauthenticated;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** The package boundaries docs/ARCHITECTURE.md draws, held by the build. */
class ArchitectureTest {

    private static final JavaClasses PERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pers");

    @Test
    void capabilityPackagesHaveNoCycles() {
        slices().matching("io.pers.(*)..").should().beFreeOfCycles().check(PERS);
    }

    @Test
    void theApiPackageIsTheBaseAndDependsOnNoCapability() {
        noClasses()
                .that()
                .resideInAPackage("io.pers.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.pers.auth..",
                        "io.pers.tenant..",
                        "io.pers.user..",
                        "io.pers.business..",
                        "io.pers.ledger..",
                        "io.pers.idempotency..",
                        "io.pers.stack..")
                .check(PERS);
    }

    @Test
    void controllersStayThinAndNeverTouchTheDatabase() {
        noClasses()
                .that()
                .areAnnotatedWith(RestController.class)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(PERS);
    }

    @Test
    void everyEndpointDeclaresWhoMayCallIt() {
        methods()
                .that()
                .areDeclaredInClassesThat()
                .areAnnotatedWith(RestController.class)
                .and()
                .areAnnotatedWith(GetMapping.class)
                .or()
                .areAnnotatedWith(PostMapping.class)
                .or()
                .areAnnotatedWith(PatchMapping.class)
                .or()
                .areAnnotatedWith(PutMapping.class)
                .or()
                .areAnnotatedWith(DeleteMapping.class)
                .and()
                .areNotDeclaredIn("io.pers.auth.JwksController")
                .should()
                .beAnnotatedWith(Allow.class)
                .orShould()
                .beAnnotatedWith(Unauthenticated.class)
                .check(PERS);
    }
}
