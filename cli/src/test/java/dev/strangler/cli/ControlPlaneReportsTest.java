package dev.strangler.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static dev.strangler.cli.AdminApiDocuments.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What status, history and the change commands print, from the admin API's documents alone. */
class ControlPlaneReportsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T14:03:12Z");

    @Test
    void statusShowsEachRoutesStageAutomationAgeAndBothSidesNumbers() {
        List<String> lines = StatusTable.render(new JsonArray().add(canaryRoute()).add(pausedShadowRoute()).add(manualLiveRoute()), NOW)
                .lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("ROUTE").contains("STAGE", "AUTO", "SINCE", "SERVICE REQ", "ERR%", "P50", "FALLBACKS",
                "MONOLITH REQ", "MATCH", "NEXT", "LAST DECISION");
        assertThat(lines.get(1).split(" {2,}")).containsExactly("posts-read", "canary 5%", "auto", "3m12s",
                "50", "0.00%", "3.9ms", "-", "950", "0.32%", "4.1ms", "-", "canary 25%", "hold: waiting for 400 service requests (50 so far)");
        assertThat(lines.get(2).split(" {2,}")).containsExactly("users", "shadow", "paused", "1h03m",
                "0", "-", "-", "-", "2000", "0.00%", "12ms", "98.5%", "canary 1%", "-");
        assertThat(lines.get(3).split(" {2,}")).startsWith("search", "live", "manual", "3d04h", "123456", "0.01%", "150ms", "-", "0", "-", "-", "-", "retired");
    }

    @Test
    void statusColumnsLineUpWithTheirHeaders() {
        List<String> lines = StatusTable.render(new JsonArray().add(canaryRoute()).add(pausedShadowRoute()), NOW).lines().toList();

        // Text columns start where their header starts; numeric ones end where it ends.
        int stage = lines.get(0).indexOf("STAGE");
        int monolithRequestsEnd = lines.get(0).indexOf("MONOLITH REQ") + "MONOLITH REQ".length();
        assertThat(lines.get(1).indexOf("canary 5%")).isEqualTo(stage);
        assertThat(lines.get(2).indexOf("shadow")).isEqualTo(stage);
        assertThat(lines.get(1).substring(0, monolithRequestsEnd)).endsWith(" 950");
        assertThat(lines.get(2).substring(0, monolithRequestsEnd)).endsWith(" 2000");
    }

    @Test
    void aLongDecisionIsCutWithAnEllipsis() {
        String line = StatusTable.render(new JsonArray().add(manualLiveRoute()), NOW).lines().toList().get(1);

        String decision = line.substring(line.indexOf("hold: "));
        assertThat(decision).hasSize(StatusTable.DECISION_WIDTH).startsWith("hold: retiring is for people to decide").endsWith("…");
    }

    @Test
    void wideShowsTheWholeDecision() {
        String line = StatusTable.render(new JsonArray().add(manualLiveRoute()), NOW, true).lines().toList().get(1);

        assertThat(line).endsWith("hold: retiring is for people to decide: the monolith fallback was used 3 times in the last hour, see strangler history");
    }

    @Test
    void aRouteWithoutWindowOrSinceStillPrints() {
        JsonObject bare = new JsonObject().put("name", "new").put("stage", "monolith").put("paused", false).put("automated", true)
                .put("since", null).put("next", new JsonObject().put("stage", "shadow")).put("window", null).put("lastDecision", null);

        String line = StatusTable.render(new JsonArray().add(bare), NOW).lines().toList().get(1);

        assertThat(line.split(" {2,}")).containsExactly("new", "monolith", "auto", "-", "-", "-", "-", "-", "-", "-", "-", "-", "shadow", "-");
    }

    @Test
    void noRoutesSaysSo() {
        assertThat(StatusTable.render(new JsonArray(), NOW)).isEqualTo("no routes: every request goes to the monolith");
    }

    @Test
    void agesShowTwoUnitsAtMost() {
        assertThat(StatusTable.age(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(StatusTable.age(Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(StatusTable.age(Duration.ofMinutes(125))).isEqualTo("2h05m");
        assertThat(StatusTable.age(Duration.ofHours(76))).isEqualTo("3d04h");
        assertThat(StatusTable.age(Duration.ofSeconds(-5))).as("a clock ahead of ours").isEqualTo("0s");
    }

    @Test
    void historyListsEntriesInTheGivenOrderWithLocalTimesAndEvidenceUnderTheirEntry() {
        List<String> lines = HistoryReport.render(history(), ZoneId.of("Europe/Madrid")).lines().toList();

        assertThat(lines).hasSize(6);
        assertThat(lines.get(0).split(" {2,}")).containsExactly("WHEN", "ROUTE", "ACTOR", "ACTION", "FROM → TO", "REASON");
        assertThat(lines.get(1).split(" {2,}")).containsExactly("2026-11-25T15:30:05", "posts-read", "cli:ana", "rollback",
                "canary 5% → shadow", "500s on page 2");
        assertThat(lines.get(2).split(" {2,}")).containsExactly("2026-11-25T15:00:00", "posts-read", "controller", "promote",
                "canary 1% → canary 5%", "every gate passed");
        assertThat(lines.get(3)).isEqualTo("    error rate: service 0.0% (0/400) vs monolith 0.2% (2/800) ... PASS");
        assertThat(lines.get(4)).isEqualTo("    latency: ... PASS");
        assertThat(lines.get(5).split(" {2,}")).containsExactly("2026-11-25T10:00:00", "posts-read", "config", "create", "- → monolith");
    }

    @Test
    void anEmptyHistorySaysSo() {
        assertThat(HistoryReport.render(new JsonArray(), ZoneId.of("UTC"))).isEqualTo("no changes recorded");
    }

    @Test
    void aChangePrintsTheMoveAndItsAuditNumber() {
        JsonObject promotion = promotionEntry().put("from", new JsonObject().put("stage", "canary").put("percent", 5.0))
                .put("to", new JsonObject().put("stage", "canary").put("percent", 25.0));

        assertThat(ChangeLine.render(change(promotion, canaryRoute()))).isEqualTo("posts-read: canary 5% → canary 25% (audit #12)");
        assertThat(ChangeLine.render(change(rollbackEntry(), canaryRoute()))).isEqualTo("posts-read: canary 5% → shadow (audit #13)");
    }

    @Test
    void pauseAndResumeSayWhereTheRouteStays() {
        JsonObject at = new JsonObject().put("stage", "canary").put("percent", 5.0);
        JsonObject pause = promotionEntry().put("id", 14).put("action", "pause").put("from", at).put("to", at);
        JsonObject resume = pause.copy().put("id", 15).put("action", "resume");

        assertThat(ChangeLine.render(change(pause, canaryRoute()))).isEqualTo("posts-read: paused at canary 5% (audit #14)");
        assertThat(ChangeLine.render(change(resume, canaryRoute()))).isEqualTo("posts-read: resumed at canary 5% (audit #15)");
    }

    @Test
    void aPercentIsShownOnlyForCanaryAndWithoutATrailingZero() {
        assertThat(StagePercent.of(new JsonObject().put("stage", "canary").put("percent", 2.5))).hasToString("canary 2.5%");
        assertThat(StagePercent.of(new JsonObject().put("stage", "live").put("percent", 100.0))).hasToString("live");
        assertThat(StagePercent.of(null)).hasToString("-");
    }
}
