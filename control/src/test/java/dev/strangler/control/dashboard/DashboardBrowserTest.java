package dev.strangler.control.dashboard;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real Chromium against a real gateway, monolith and service: what an operator
 * sees and does. Skipped, saying why, where no Chromium is installed. Each page's screenshot goes to
 * docs/screenshots/ (the README shows them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    @RegisterExtension
    static final DashboardFixture dashboard = new DashboardFixture();

    private static Browser browser() {
        return dashboard.browser;
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefusedAndNothingIsShown() throws Exception {
        browser().open(dashboard.url());
        browser().visible(By.id("login-form"));
        browser().visible(By.id("login-name")).sendKeys("alice");
        browser().visible(By.id("login-token")).sendKeys("not-the-token");
        browser().screenshot("login");
        browser().visible(By.id("login-submit")).click();

        String message = browser().until(d -> {
            String t = browser().text(By.id("login-message"));
            return t.isEmpty() ? null : t;
        });
        assertThat(message).contains("refused this token");
        assertThat(browser().driver.findElements(By.id("routes-table"))).isEmpty();
        assertThat(browser().script("return sessionStorage.getItem('strangler.token')")).isNull();
    }

    @Test
    @Order(2)
    void theOverviewShowsEachRouteWithItsNumbersAfterSigningIn() throws Exception {
        dashboard.signIn();
        WebElement users = browser().visible(By.cssSelector("[role=row][data-route='users']"));
        String rate = browser().until(d -> {
            String t = browser().text(By.cssSelector("[role=row][data-route='users'] [data-col='monolith-rate']"));
            return t.endsWith("/s") ? t : null;
        });
        assertThat(rate).isNotEqualTo("0.00/s");
        assertThat(users.getText()).contains("monolith").contains("manual");
        assertThat(browser().text(By.cssSelector("[role=row][data-route='items']"))).contains("shadow");
        assertThat(browser().text(By.id("progress"))).contains("Endpoints").contains("Requests");
        // Problems first: the canary whose service fails is the first row, saying why.
        WebElement first = browser().until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#routes-table .body [role=row]"));
            return !rows.isEmpty() && "orders".equals(rows.getFirst().getAttribute("data-route")) ? rows.getFirst() : null;
        });
        assertThat(first.getText()).contains("failing").contains("canary 50%");
        browser().visible(By.cssSelector("#progress-chart canvas")); // the share over time: the start's snapshot, then now
        browser().screenshot("overview");
    }

    @Test
    @Order(3)
    void promotingWithAReasonShowsTheAuditEntryAndTheNewStageWithoutAReload() throws Exception {
        dashboard.signIn();
        browser().visible(By.linkText("users")).click();
        browser().until(d -> browser().text(By.id("route-stage")).contains("monolith"));
        browser().script("window.__notReloaded = true");

        assertThat(press("promote", "ready to shadow: dashboard test")).contains("Promote route users");

        browser().until(d -> browser().text(By.id("route-stage")).contains("shadow"));
        WebElement entry = browser().until(d -> d.findElements(By.cssSelector("#timeline li")).stream()
                .filter(li -> li.getText().contains("ready to shadow: dashboard test")).findFirst().orElse(null));
        assertThat(entry.getText()).contains("promote").contains("monolith → shadow").contains("dashboard:alice");
        assertThat(browser().script("return window.__notReloaded === true")).isEqualTo(true);

        // A change made elsewhere (here: the API, as the CLI makes it) appears by itself.
        HttpResponse<String> paused = dashboard.admin("POST", "/api/routes/users/pause", "{\"reason\":\"lunch\"}",
                "X-Strangler-Actor", "cli:bob");
        assertThat(paused.statusCode()).isEqualTo(200);
        WebElement pause = browser().until(d -> d.findElements(By.cssSelector("#timeline li")).stream()
                .filter(li -> li.getText().contains("cli:bob")).findFirst().orElse(null));
        assertThat(pause.getText()).contains("pause").contains("lunch");
        assertThat(browser().script("return window.__notReloaded === true")).isEqualTo(true);
        for (String chart : List.of("chart-rate", "chart-errors", "chart-latency")) // drawn by uPlot from the metric windows
            browser().visible(By.cssSelector("#" + chart + " canvas"));
        browser().screenshot("route");
    }

    @Test
    @Order(4)
    void rollingBackNeedsAReasonAndARefusalShowsItsHint() throws Exception {
        dashboard.signIn();
        dashboard.openRoute("users", "shadow");

        browser().visible(By.id("percent")).sendKeys("50");
        browser().visible(By.cssSelector("button[data-action='percent']")).click(); // only a canary has a percent
        browser().visible(By.id("confirm-yes")).click();
        String refusal = browser().until(d -> {
            String t = browser().text(By.id("action-message"));
            return t.startsWith("Refused") ? t : null;
        });
        assertThat(refusal).contains("canary").contains("—"); // the reason, then the hint
        assertThat(browser().text(By.id("route-stage"))).contains("shadow");

        press("rollback", "diff too noisy");
        browser().until(d -> browser().text(By.id("route-stage")).contains("monolith"));
        browser().until(d -> browser().text(By.id("timeline")).contains("diff too noisy"));
        assertThat(browser().text(By.cssSelector("#timeline li"))).contains("rollback").contains("shadow → monolith");
    }

    @Test
    @Order(5)
    void theShadowReportHighlightsTheDifferingValueInBothResponses() throws Exception {
        dashboard.signIn();
        browser().open(dashboard.url() + "#/route/items");
        browser().until(d -> browser().text(By.id("shadow-paths")).contains("$.price"));
        List<WebElement> marks = browser().until(d -> {
            List<WebElement> m = d.findElements(By.cssSelector("#shadow details[open] mark.diff"));
            return m.size() >= 2 ? m : null;
        });
        assertThat(browser().text(By.cssSelector("#shadow details[open] pre.monolith mark.diff"))).isEqualTo("10");
        assertThat(browser().text(By.cssSelector("#shadow details[open] pre.service mark.diff"))).isEqualTo("12");
        assertThat(marks).allSatisfy(m -> assertThat(m.getAttribute("data-path")).isEqualTo("$.price"));
        browser().script("document.getElementById('shadow-h').scrollIntoView()");
        browser().screenshot("shadow-report");
    }

    @Test
    @Order(6)
    void theCatalogListsTheLearnedEndpointsFiltersThemAndSortsThemByAColumn() throws Exception {
        dashboard.signIn();
        browser().open(dashboard.url() + "#/catalog");
        browser().until(d -> browser().text(By.id("endpoints-table")).contains("/api/users/{userId}"));
        assertThat(browser().text(By.id("endpoints-table"))).contains("/api/items/{itemId}");
        browser().visible(By.id("filter")).sendKeys("items");
        browser().until(d -> !browser().text(By.id("endpoints-table")).contains("/api/users/{userId}"));
        assertThat(browser().text(By.id("endpoints-table"))).contains("/api/items/{itemId}");
        browser().screenshot("catalog");

        browser().visible(By.id("filter")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE); // clear() sends no input event
        browser().until(d -> browser().text(By.id("endpoints-table")).contains("/api/users/{userId}"));
        sortBy("template", "descending");
        assertThat(templates()).containsSubsequence("/api/users/{userId}", "/api/items/{itemId}");
        sortBy("template", "ascending"); // the same column again turns the order round
        assertThat(templates()).containsSubsequence("/api/items/{itemId}", "/api/users/{userId}");
    }

    /** Presses a column's sort button and waits for the table to say it is sorted that way. */
    private static void sortBy(String column, String order) {
        By header = By.cssSelector("#endpoints-table th:has(button[data-key='" + column + "'])");
        browser().visible(By.cssSelector("#endpoints-table th button[data-key='" + column + "']")).click();
        browser().until(d -> order.equals(d.findElement(header).getAttribute("aria-sort")) ? true : null);
    }

    /** The catalog's endpoint templates, top to bottom. */
    private static List<String> templates() {
        return browser().driver.findElements(By.cssSelector("#endpoints-table tbody tr td:nth-child(2)")).stream()
                .map(td -> td.getText().replace(" declared", "")).toList();
    }

    @Test
    @Order(7)
    void theCatalogShowsWhichEndpointGroupsTheSameUsersCallTogether() throws Exception {
        for (int i = 0; i < 12; i++) { // twelve users, each reading a user and an item: one session each, both groups
            assertThat(dashboard.user("/api/users/" + i, "X-User-Id", "reader-" + i).statusCode()).isEqualTo(200);
            assertThat(dashboard.user("/api/items/" + i, "X-User-Id", "reader-" + i).statusCode()).isEqualTo(200);
        }
        dashboard.signIn();
        browser().open(dashboard.url() + "#/catalog");
        browser().until(d -> browser().text(By.id("coupling")).contains("/api/users"));

        String pairs = browser().text(By.id("coupling-table"));
        assertThat(pairs).contains("/api/items (12)").contains("/api/users (12)").contains("100.0%");
        assertThat(pairs).as("the orders sessions never called another group").doesNotContain("/api/orders");
        assertThat(browser().text(By.id("coupling-summary"))).contains("client sessions (one client key, requests at most 5 min apart)");
        assertThat(browser().text(By.id("coupling-together"))).contains("/api/items + /api/users");
        browser().script("document.getElementById('coupling-h').scrollIntoView()");
        browser().screenshot("catalog-coupling");
    }

    @Test
    @Order(8)
    void pausingResumingAndSettingThePercentFromTheRoutePageAreAuditedAsTheDashboardsUser() throws Exception {
        dashboard.signIn();
        dashboard.openRoute("orders", "canary 50%");

        act("pause", "pause", "investigating the 500s");
        browser().until(d -> browser().text(By.id("route-automation")).contains("paused"));
        act("resume", "resume", "back to normal");
        browser().until(d -> !browser().text(By.id("route-automation")).contains("paused"));
        browser().visible(By.id("percent")).sendKeys("25");
        act("percent", "set-percent", "fewer users on the failing service");
        browser().until(d -> browser().text(By.id("route-stage")).contains("canary 25%"));

        String timeline = browser().until(d -> {
            String t = browser().text(By.id("timeline"));
            return t.contains("fewer users on the failing service") ? t : null;
        });
        assertThat(timeline).contains("investigating the 500s").contains("back to normal").contains("canary 50% → canary 25%");
        assertThat(browser().driver.findElements(By.cssSelector("#timeline li")).stream().map(WebElement::getText)
                .filter(t -> t.contains("investigating the 500s") || t.contains("back to normal") || t.contains("fewer users")))
                .hasSize(3).allSatisfy(t -> assertThat(t).contains("dashboard:alice"));
    }

    /** Types the reason, presses the action's button and confirms; returns what the confirmation asked. */
    private static String press(String button, String reason) {
        WebElement text = browser().visible(By.id("reason"));
        text.clear();
        text.sendKeys(reason);
        browser().visible(By.cssSelector("button[data-action='" + button + "']")).click();
        String question = browser().visible(By.id("confirm-text")).getText();
        assertThat(question).contains(reason);
        browser().visible(By.id("confirm-yes")).click();
        return question;
    }

    /** {@link #press}, then waits for the page to report the audited action done. */
    private static void act(String button, String audited, String reason) {
        press(button, reason);
        browser().until(d -> browser().text(By.id("action-message")).startsWith("Done: " + audited + " ") ? true : null);
    }
}
