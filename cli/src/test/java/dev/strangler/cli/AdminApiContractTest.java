package dev.strangler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.strangler.control.view.AuditView;
import dev.strangler.control.view.Automation;
import dev.strangler.control.view.ChangeView;
import dev.strangler.control.view.HoldView;
import dev.strangler.control.view.JudgementView;
import dev.strangler.control.view.Numbers;
import dev.strangler.control.view.PositionView;
import dev.strangler.control.view.RouteView;
import dev.strangler.control.view.ShadowRate;
import dev.strangler.control.view.SideView;
import dev.strangler.control.view.ViewJson;
import dev.strangler.control.view.WindowView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against what the admin API really writes: route views and audit entries built as the
 * server's read-model records and written by the server's own writer ({@link ViewJson}), for
 * every stage, every kind of automation, with and without a judgement of the controller, and with
 * the state store unreachable; read by {@code status}, {@code history} and the change commands as
 * a user runs them, against a loopback server answering those bytes. Where
 * {@link AdminApiDocuments} holds the contract's examples, this holds the server's real output.
 */
class AdminApiContractTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");
    private static final String UNREACHABLE_NOTE = "numbers unknown: the state store cannot be read (stage and percent are the last known)";

    private HttpServer server;
    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void startAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = answers.getOrDefault(exchange.getRequestURI().getPath(), "{}".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopAdminApi() {
        server.stop(0);
    }

    // ---- the routes, one per stage and kind of automation ----------------------------------------

    private static SideView side(long requests, long errors, double p50) {
        return new SideView(requests, requests / 3600.0, errors, errors, 0, Optional.of((double) errors / requests),
                Optional.of(p50), Optional.of(p50 * 4));
    }

    private static final SideView UNUSED = new SideView(0, 0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty());

    private static Optional<WindowView> window(SideView monolith, SideView service, ShadowRate shadow) {
        return Optional.of(new WindowView(monolith, service, shadow));
    }

    private static Optional<JudgementView> judged(String action, String summary) {
        return Optional.of(new JudgementView(AT, action, summary, List.of("error rate: service 0.0% vs monolith 0.2% ... PASS")));
    }

    private static Optional<PositionView> at(String stage, Double percent) {
        return Optional.of(new PositionView(stage, percent == null ? OptionalDouble.empty() : OptionalDouble.of(percent)));
    }

    private static RouteView route(String name, String stage, Double percent, Automation automation, Optional<HoldView> hold,
                                   Optional<PositionView> next, Numbers numbers, Optional<WindowView> window,
                                   Optional<JudgementView> judgement) {
        return new RouteView(name, "svc", stage, percent == null ? OptionalDouble.empty() : OptionalDouble.of(percent), automation,
                automation == Automation.PAUSED, automation != Automation.MANUAL, "/api/" + name + "/**", List.of("GET"),
                numbers == Numbers.NOT_STARTED ? Optional.empty() : Optional.of(AT), hold, hold.isPresent() ? 1 : 0, next,
                List.of(1.0, 25.0, 50.0), numbers, window, judgement, hold.map(h -> "held after an automatic rollback"));
    }

    /** Every stage; auto, paused, held and manual; judged and not; measured, not started and the store unreachable. */
    private static final List<RouteView> ROUTES = List.of(
            route("accounts", "monolith", null, Automation.AUTO, Optional.empty(), at("shadow", null), Numbers.MEASURED,
                    window(side(900, 9, 12.0), UNUSED, ShadowRate.of(0, 0)), judged("hold", "monolith: shadow it first")),
            route("users", "shadow", null, Automation.PAUSED, Optional.empty(), at("canary", 1.0), Numbers.MEASURED,
                    window(side(2000, 0, 12.0), UNUSED, ShadowRate.of(2000, 1970)), Optional.empty()),
            route("posts", "canary", 25.0, Automation.AUTO, Optional.empty(), at("canary", 50.0), Numbers.MEASURED,
                    window(side(750, 3, 4.1), side(250, 0, 3.9), ShadowRate.of(0, 0)), judged("promote", "every gate passed")),
            route("billing", "shadow", null, Automation.HELD,
                    Optional.of(new HoldView(AT.plusSeconds(3600), "held after rollback until 2026-11-30T11:00:00Z")),
                    at("canary", 1.0), Numbers.MEASURED, window(side(500, 0, 8.0), UNUSED, ShadowRate.of(500, 480)),
                    judged("rollback", "service error rate 12.0% above the monolith's 0.1%")),
            route("search", "live", null, Automation.MANUAL, Optional.empty(), at("retired", null), Numbers.MEASURED,
                    window(UNUSED, side(12000, 12, 150.4), ShadowRate.of(0, 0)), judged("hold", "retiring is for people to decide")),
            route("legacy", "retired", null, Automation.MANUAL, Optional.empty(), Optional.empty(), Numbers.MEASURED,
                    window(UNUSED, side(40, 0, 2.0), ShadowRate.of(0, 0)), Optional.empty()),
            route("reports", "canary", 10.0, Automation.AUTO, Optional.empty(), at("canary", 25.0), Numbers.STORE_UNREACHABLE,
                    Optional.empty(), judged("hold", "waiting for 400 service requests (12 so far)")),
            route("fresh", "monolith", null, Automation.AUTO, Optional.empty(), at("shadow", null), Numbers.NOT_STARTED,
                    Optional.empty(), Optional.empty()));

    /** What each route's STAGE, AUTO, NEXT and LAST DECISION columns must say. */
    private static final Map<String, List<String>> SHOWN = Map.of(
            "accounts", List.of("monolith", "auto", "shadow", "hold: monolith: shadow it first"),
            "users", List.of("shadow", "paused", "canary 1%", "-"),
            "posts", List.of("canary 25%", "auto", "canary 50%", "promote: every gate passed"),
            "billing", List.of("shadow", "held", "canary 1%", "rollback: service error rate 12.0% above the monolith's 0.1%"),
            "search", List.of("live", "manual", "retired", "hold: retiring is for people to decide"),
            "legacy", List.of("retired", "manual", "-", "-"),
            "reports", List.of("canary 10%", "auto", "canary 25%", "hold: waiting for 400 service requests (12 so far)"),
            "fresh", List.of("monolith", "auto", "shadow", "-"));

    @Test
    void statusShowsEveryRouteTheServerWritesWithItsStagePercentAutomationAndLastJudgement() {
        answers.put("/api/routes", ViewJson.write(ROUTES));

        CommandResult result = strangler("status", "--wide");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).doesNotContainIgnoringCase("null").doesNotContain("NaN").doesNotContain("?");
        List<String> lines = result.out().lines().toList();
        assertThat(lines.getFirst().split(" {2,}")).startsWith("ROUTE", "STAGE", "AUTO").endsWith("NEXT", "LAST DECISION");
        for (RouteView r : ROUTES) {
            String[] cells = row(lines, r.name()).split(" {2,}");
            assertThat(cells).as(r.name()).hasSize(14);
            assertThat(List.of(cells[1], cells[2], cells[12], cells[13])).as(r.name()).isEqualTo(SHOWN.get(r.name()));
        }
        assertThat(row(lines, "posts")).contains("250", "0.00%", "3.9ms", "750", "0.40%", "4.1ms");
        assertThat(row(lines, "users")).contains("98.5%");
        assertThat(noteUnder(lines, "billing")).isEqualTo("held after rollback until 2026-11-30T11:00:00Z");
        assertThat(noteUnder(lines, "reports")).as("the store unreachable, said so").isEqualTo(UNREACHABLE_NOTE);
        assertThat(result.out()).containsOnlyOnce(UNREACHABLE_NOTE);
    }

    // ---- the audit log -----------------------------------------------------------------------------

    private static AuditView entry(long id, String actor, String action, Optional<PositionView> from, Optional<PositionView> to,
                                   String reason, List<String> evidence) {
        return new AuditView(id, AT.plusSeconds(60 * id), "posts", actor, action, from, to, reason, evidence);
    }

    /** A route's whole life, newest first, as {@code /api/audit} writes it. */
    private static final List<AuditView> HISTORY = List.of(
            entry(9, "cli:ana", "retire", at("live", null), at("retired", null), "the monolith's code is deleted", List.of()),
            entry(8, "controller", "promote", at("canary", 50.0), at("live", null), "every gate passed",
                    List.of("latency p99: service 18ms vs monolith 20ms ... PASS")),
            entry(7, "dashboard:alice", "percent", at("canary", 25.0), at("canary", 50.0), "more users", List.of()),
            entry(6, "cli:ana", "pause", at("canary", 25.0), at("canary", 25.0), "holiday freeze", List.of()),
            entry(5, "controller", "rollback", at("canary", 1.0), at("shadow", null), "service errors above the monolith's",
                    List.of("error rate: service 9.0% vs monolith 0.1% ... FAIL")),
            entry(4, "cli:ana", "promote", at("shadow", null), at("canary", 1.0), "diff is clean", List.of()),
            entry(3, "config", "create", Optional.empty(), at("monolith", null), null, List.of()));

    @Test
    void historyShowsEveryEntryTheServerWritesWithItsMoveReasonAndEvidence() {
        answers.put("/api/audit", ViewJson.write(HISTORY));

        CommandResult result = strangler("history", "posts");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).doesNotContainIgnoringCase("null").doesNotContain("?");
        List<String> lines = result.out().lines().toList();
        assertThat(lines.getFirst().split(" {2,}")[4]).isEqualTo("FROM → TO");
        assertThat(lines.stream().filter(l -> l.contains(" posts ")).map(l -> l.split(" {2,}")[4]).toList()).containsExactly(
                "live → retired", "canary 50% → live", "canary 25% → canary 50%", "canary 25% → canary 25%",
                "canary 1% → shadow", "shadow → canary 1%", "- → monolith");
        assertThat(lines.getLast()).as("a creation has no reason").matches(".* create +- → monolith");
        assertThat(lines).contains("    latency p99: service 18ms vs monolith 20ms ... PASS",
                "    error rate: service 9.0% vs monolith 0.1% ... FAIL");
        assertThat(lines.get(lines.indexOf("    error rate: service 9.0% vs monolith 0.1% ... FAIL") - 1))
                .contains("controller", "rollback", "service errors above the monolith's");
    }

    @Test
    void aChangeCommandPrintsTheMoveTheServerWrites() {
        RouteView moved = ROUTES.get(1);
        AuditView audit = new AuditView(4, AT, "users", "cli:ana", "promote", at("shadow", null), at("canary", 1.0), "diff is clean",
                List.of());
        answers.put("/api/routes/users/promote", ViewJson.write(new ChangeView(moved, audit, List.of())));

        CommandResult result = strangler("promote", "users", "--reason", "diff is clean");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo("users: shadow → canary 1% (audit #4)");
    }

    @Test
    void jsonPassesTheServersAnswersThroughAsTheyAre() throws IOException {
        answers.put("/api/routes", ViewJson.write(ROUTES));
        answers.put("/api/audit", ViewJson.write(HISTORY));
        ObjectMapper json = new ObjectMapper();

        for (String command : List.of("status", "history")) {
            CommandResult result = strangler(command, "--json");

            assertThat(result.exitCode()).as(result.err()).isZero();
            byte[] written = answers.get(command.equals("status") ? "/api/routes" : "/api/audit");
            assertThat(json.readTree(result.out())).as(command + " --json").isEqualTo(json.readTree(written));
        }
    }

    private CommandResult strangler(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--admin";
        all[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        return CommandResult.run(all);
    }

    private static String row(List<String> lines, String route) {
        return lines.stream().filter(l -> l.startsWith(route + " ")).findFirst().orElseThrow();
    }

    private static String noteUnder(List<String> lines, String route) {
        String next = lines.get(lines.indexOf(row(lines, route)) + 1);
        assertThat(next).as("a note under " + route).startsWith("    ");
        return next.strip();
    }
}
