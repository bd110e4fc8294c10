package dev.strangler.control.dashboard;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard with the keyboard alone: an action is reached with Tab and pressed with Enter, its
 * confirmation is a labelled modal dialog that takes focus and keeps it, Escape leaves everything as
 * it was and gives focus back, Enter on Confirm makes the change (audited as the dashboard's user);
 * and every control a keyboard reaches has a name a screen reader can say. No clicks here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardKeyboardTest {
    /** Tab stops tried before a control counts as unreachable by keyboard. */
    private static final int MAX_TABS = 60;
    /** Whatever a keyboard can reach or a pointer can press. */
    private static final String INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, summary,"
            + " [tabindex]:not([tabindex='-1']), [role=button], [role=link], [contenteditable=true]";

    @RegisterExtension
    static final DashboardFixture dashboard = new DashboardFixture();

    @Test
    @Order(1)
    void everyControlOnTheOverviewAndARoutePageHasAnAccessibleName() {
        dashboard.signIn();
        dashboard.browser.until(d -> d.findElements(By.cssSelector("#routes-table .body [role=row] a")).size() == 3);
        assertThat(unnamedControls()).as("controls of the overview without an accessible name").isEmpty();

        dashboard.openRoute("items", "shadow"); // a shadow report: its samples are <details> to open
        dashboard.browser.until(d -> !d.findElements(By.cssSelector("#shadow summary")).isEmpty());
        dashboard.browser.visible(By.cssSelector("#chart-rate canvas"));
        assertThat(unnamedControls()).as("controls of the route page without an accessible name").isEmpty();
        List<WebElement> actions = dashboard.browser.driver.findElements(By.cssSelector("#actions :is(textarea, input, button)"));
        assertThat(actions.stream().map(WebElement::getAccessibleName).toList()).as("the actions' names, from their labels and texts")
                .contains("Promote", "Roll back", "Pause automation", "Canary percent", "Set percent")
                .anySatisfy(name -> assertThat(name).startsWith("Reason"));
    }

    @Test
    @Order(2)
    void escapeClosesTheConfirmationWithNothingChangedAndFocusBackOnTheAction() throws Exception {
        dashboard.signIn();
        dashboard.openRoute("users", "monolith");
        int entries = dashboard.audit("users").size();

        WebElement promote = tabTo("button[data-action='promote']");
        promote.sendKeys(Keys.ENTER);

        WebElement dialog = openDialog();
        assertThat(dialog.getAriaRole()).isEqualTo("dialog");
        assertThat(dashboard.browser.script("return arguments[0].matches(':modal')", dialog)).as("shown modal").isEqualTo(true);
        assertThat(dialog.getAccessibleName()).isEqualTo(dashboard.browser.text(By.id("confirm-title"))).isNotBlank();
        assertThat(describedBy(dialog)).contains("Promote route users");
        assertThat(focusIsIn(dialog)).as("focus moved into the dialog").isTrue();
        assertThat(activeId()).as("the safe choice has focus").isEqualTo("confirm-no");

        // Focus stays in the dialog whichever way one tabs, and the page behind cannot take it.
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            active().sendKeys(Keys.TAB);
            stops.add(activeId());
        }
        assertThat(stops).containsExactly("confirm-yes", "confirm-no", "confirm-yes", "confirm-no");
        active().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(activeId()).isEqualTo("confirm-yes");
        active().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(activeId()).isEqualTo("confirm-no");

        active().sendKeys(Keys.ESCAPE);

        dashboard.browser.until(d -> !dialog.isDisplayed());
        assertThat(active()).as("focus is back on the button that opened the dialog").isEqualTo(promote);
        assertThat(dashboard.browser.text(By.id("action-message"))).isEmpty();
        assertThat(dashboard.audit("users").size()).as("audit entries after Escape").isEqualTo(entries);
        assertThat(routeStage("users")).isEqualTo("monolith");
        assertThat(dashboard.browser.text(By.id("route-stage"))).contains("monolith");
    }

    @Test
    @Order(3)
    void enterOnConfirmMakesTheChangeWithTheTypedReasonAuditedAsTheDashboardsUser() throws Exception {
        dashboard.signIn();
        dashboard.openRoute("orders", "canary 50%");

        tabTo("#reason").sendKeys("the service answers 500: keyboard rollback");
        WebElement rollback = tabTo("button[data-action='rollback']");
        rollback.sendKeys(Keys.ENTER);
        WebElement dialog = openDialog();
        assertThat(describedBy(dialog)).contains("Roll back route orders").contains("keyboard rollback");
        active().sendKeys(Keys.TAB);
        assertThat(activeId()).isEqualTo("confirm-yes");
        active().sendKeys(Keys.ENTER);

        dashboard.browser.until(d -> !dialog.isDisplayed());
        dashboard.browser.until(d -> dashboard.browser.text(By.id("route-stage")).contains("shadow"));
        JsonObject entry = dashboard.audit("orders").getJsonObject(0);
        assertThat(entry.getString("action")).isEqualTo("rollback");
        assertThat(entry.getString("actor")).isEqualTo("dashboard:" + DashboardFixture.USER);
        assertThat(entry.getString("reason")).isEqualTo("the service answers 500: keyboard rollback");
        assertThat(entry.getJsonObject("to").getString("stage")).isEqualTo("shadow");
        assertThat(routeStage("orders")).isEqualTo("shadow");
        assertThat(active()).as("focus is back on the button that opened the dialog").isEqualTo(rollback);
    }

    /** Presses Tab from wherever focus is until {@code css} has it; fails naming the stops passed. */
    private static WebElement tabTo(String css) {
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < MAX_TABS; i++) {
            active().sendKeys(Keys.TAB);
            WebElement now = active();
            if ((Boolean) dashboard.browser.script("return arguments[0].matches(arguments[1])", now, css)) return now;
            passed.add(describe(now));
        }
        throw new AssertionError(css + " was not reached in " + MAX_TABS + " Tab presses; focus went through " + passed);
    }

    /** Waits for the confirmation dialog to open and take focus. */
    private static WebElement openDialog() {
        WebElement dialog = dashboard.browser.visible(By.cssSelector("dialog#confirm[open]"));
        dashboard.browser.until(d -> focusIsIn(dialog));
        return dialog;
    }

    private static boolean focusIsIn(WebElement element) {
        return (Boolean) dashboard.browser.script("return arguments[0].contains(document.activeElement)", element);
    }

    /** The text of the elements the dialog's aria-describedby names: what a screen reader reads after its name. */
    private static String describedBy(WebElement dialog) {
        return (String) dashboard.browser.script("return (arguments[0].getAttribute('aria-describedby') || '').split(/\\s+/)"
                + ".filter(id => id).map(id => document.getElementById(id)?.textContent || '').join(' ')", dialog);
    }

    private static WebElement active() {
        return dashboard.browser.driver.switchTo().activeElement();
    }

    private static String activeId() {
        return active().getAttribute("id");
    }

    /** The controls on the page, visible ones, whose computed accessible name is empty. */
    private static List<String> unnamedControls() {
        List<String> unnamed = new ArrayList<>();
        for (WebElement e : dashboard.browser.driver.findElements(By.cssSelector(INTERACTIVE))) {
            if (e.isDisplayed() && e.getAccessibleName().isBlank()) unnamed.add(describe(e));
        }
        return unnamed;
    }

    private static String describe(WebElement e) {
        return (String) dashboard.browser.script("const e = arguments[0];"
                + " return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                + " + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')"
                + " + ' \"' + (e.textContent || '').trim().slice(0, 30) + '\"'", e);
    }

    private static String routeStage(String route) throws Exception {
        return new JsonObject(dashboard.admin("GET", "/api/routes/" + route, null).body()).getString("stage");
    }
}
