package dev.strangler.control.dashboard;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.control.testing.OpenApiDocuments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.strangler.control.testing.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard of a gateway with no admin token (its admin on loopback): every page is shown and
 * nothing can be pressed; and the catalog's "declared but never called", from the OpenAPI document.
 */
class DashboardReadOnlyTest {
    @TempDir
    static Path dir;
    private static final Backends BACKENDS = new Backends();
    private static final Gateways GATEWAYS = new Gateways();
    private static StranglerProcess process;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Browser.available(), Browser::unavailableMessage);
        Files.copy(OpenApiDocuments.usersAndReports(), dir.resolve("monolith-openapi.yaml"));
        process = GATEWAYS.start(dir.resolve("strangler.yaml"), "catalog: { openapi: monolith-openapi.yaml }\n"
                + Gateways.config("jdbc:h2:mem:read-only-" + System.nanoTime(), BACKENDS.healthy().actualPort(),
                BACKENDS.healthy().actualPort(), "1h", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: shadow
                """));
        for (int i = 1; i <= 3; i++) assertThat(get(process.port(), "/api/orders/" + i).statusCode()).isEqualTo(200);
        browser = new Browser();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        GATEWAYS.close();
        BACKENDS.close();
    }

    @Test
    void withoutATokenARoutesPageShowsWhereItIsButOffersNoAction() {
        browser.open(dashboard() + "#/route/orders");
        browser.until(d -> browser.text(By.id("route-stage")).contains("shadow"));

        assertThat(browser.text(By.id("who"))).contains("Read-only");
        assertThat(browser.visible(By.id("read-only")).getText()).contains("sign in");
        assertThat(browser.driver.findElements(By.cssSelector("button[data-action]"))).isEmpty();
    }

    @Test
    void theCatalogListsWhatTheOpenApiDocumentDeclaresAndNoOneCalled() {
        browser.open(dashboard() + "#/catalog");
        String declared = browser.until(d -> {
            String t = browser.text(By.id("declared"));
            return t.contains("/api/reports/yearly") ? t : null;
        });

        assertThat(declared).contains("GET /api/reports/yearly").doesNotContain("/api/orders");
    }

    private static String dashboard() {
        return "http://127.0.0.1:" + process.adminPort() + "/";
    }
}
