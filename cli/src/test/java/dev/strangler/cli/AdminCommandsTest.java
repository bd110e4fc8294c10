package dev.strangler.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.strangler.cli.AdminApiDocuments.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control-plane commands against a real loopback HTTP server that answers as
 * docs/admin-api.md says the admin API does: what they send, what they print, how they exit.
 */
class AdminCommandsTest {
    private record Received(String method, String uri, String authorization, String actor, String contentType, String body) {}

    private HttpServer server;
    private String admin;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String contentType = "application/json";
    private volatile String answer = "{}";

    @BeforeEach
    void startAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("X-Strangler-Actor"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", contentType);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        admin = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopAdminApi() {
        server.stop(0);
    }

    private void answer(int status, Object json) {
        this.status = status;
        this.contentType = status < 300 ? "application/json" : "application/problem+json";
        this.answer = json.toString();
    }

    private CommandResult strangler(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--admin", admin, "--token", "s3cret"}, 0, all, args.length, 4);
        return CommandResult.run(all);
    }

    private Received onlyRequest() {
        assertThat(received).hasSize(1);
        return received.getFirst();
    }

    @Test
    void statusAsksForEveryRouteWithTheTokenAndTheActorAndPrintsATable() {
        answer(200, new JsonArray().add(canaryRoute()).add(pausedShadowRoute()));

        CommandResult result = strangler("status");

        assertThat(result.exitCode()).as(result.err()).isZero();
        Received request = onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("/api/routes");
        assertThat(request.authorization()).isEqualTo("Bearer s3cret");
        assertThat(request.actor()).isEqualTo("cli:" + System.getProperty("user.name"));
        assertThat(result.out().lines().toList()).hasSize(3);
        assertThat(result.out()).contains("posts-read").contains("canary 5%").contains("users").contains("98.5%");
    }

    @Test
    void jsonPrintsTheApisAnswerAsIs() {
        answer(200, new JsonArray().add(canaryRoute()));

        CommandResult result = strangler("status", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(new JsonArray(result.out())).isEqualTo(new JsonArray().add(canaryRoute()));
        assertThat(result.out()).contains("\n  ");
    }

    @Test
    void promoteSendsTheTargetForceAndReasonAndPrintsTheMove() {
        JsonObject audit = promotionEntry().put("from", new JsonObject().put("stage", "canary").put("percent", 5.0))
                .put("to", new JsonObject().put("stage", "canary").put("percent", 25.0)).put("actor", "cli:ana");
        answer(200, change(audit, canaryRoute().put("percent", 25.0)));

        CommandResult result = strangler("promote", "posts-read", "--to", "canary:25", "--force", "--reason", "load test passed");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("posts-read: canary 5% → canary 25% (audit #12)" + System.lineSeparator());
        Received request = onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/api/routes/posts-read/promote");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(new JsonObject(request.body())).isEqualTo(new JsonObject()
                .put("to", new JsonObject().put("stage", "canary").put("percent", 25.0)).put("force", true).put("reason", "load test passed"));
    }

    @Test
    void promoteWithoutToAsksForTheNextStep() {
        answer(200, change(promotionEntry(), canaryRoute()));

        CommandResult result = strangler("promote", "posts-read");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(new JsonObject(onlyRequest().body())).isEqualTo(new JsonObject().put("force", false));
    }

    @Test
    void rollbackSendsTheReasonAndWhereTo() {
        answer(200, change(rollbackEntry(), canaryRoute()));

        CommandResult result = strangler("rollback", "posts-read", "--reason", "500s on page 2", "--to", "monolith");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("posts-read: canary 5% → shadow (audit #13)" + System.lineSeparator());
        Received request = onlyRequest();
        assertThat(request.uri()).isEqualTo("/api/routes/posts-read/rollback");
        assertThat(new JsonObject(request.body())).isEqualTo(new JsonObject().put("reason", "500s on page 2").put("force", false).put("to", "monolith"));
    }

    @Test
    void rollbackWithoutAReasonIsBadInputWithItsUsageAndSendsNothing() {
        CommandResult result = strangler("rollback", "posts-read");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("Missing required option: '--reason=TEXT'").contains("Usage: strangler rollback")
                .contains("strangler rollback --help");
        assertThat(received).isEmpty();
    }

    @Test
    void percentSendsTheShareAndTheReasonAndPrintsTheMove() {
        JsonObject audit = promotionEntry().put("action", "set-percent").put("actor", "cli:ana")
                .put("from", new JsonObject().put("stage", "canary").put("percent", 25.0))
                .put("to", new JsonObject().put("stage", "canary").put("percent", 5.0));
        answer(200, change(audit, canaryRoute()));

        CommandResult result = strangler("percent", "posts-read", "5", "--reason", "p99 doubled at 25%");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("posts-read: canary 25% → canary 5% (audit #12)" + System.lineSeparator());
        Received request = onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/api/routes/posts-read/percent");
        assertThat(new JsonObject(request.body())).isEqualTo(new JsonObject().put("percent", 5.0).put("force", false)
                .put("reason", "p99 doubled at 25%"));
    }

    @Test
    void aPercentOutsideZeroToHundredIsBadInputAndSendsNothing() {
        CommandResult result = strangler("percent", "posts-read", "150");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("\"150\" is not a percent (expected: 0 to 100)");
        assertThat(received).isEmpty();
    }

    @Test
    void aRefusalByAGatePrintsTheGateTheNumbersAndTheHintsCommand() {
        answer(409, problem(409, "gate-failed", "posts-read: gate min-match-rate fails: 0 of 200 shadow comparisons matched "
                + "(0.0%), required 99.0%").put("gate", "min-match-rate")
                .put("hint", "`strangler diff posts-read` shows what differs; `strangler promote posts-read --to canary:1 --force` moves it anyway"));

        CommandResult result = strangler("promote", "posts-read");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("gate min-match-rate fails: 0 of 200").contains("hint: `strangler diff posts-read`");
    }

    @Test
    void rollbackOfALiveRouteToACanaryShareSendsThePosition() {
        answer(200, change(rollbackEntry(), canaryRoute()));

        CommandResult result = strangler("rollback", "posts-read", "--to", "canary:25", "--reason", "errors at 100%");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(new JsonObject(onlyRequest().body()).getValue("to"))
                .isEqualTo(new JsonObject().put("stage", "canary").put("percent", 25.0));
    }

    @Test
    void statusShowsAHeldRouteAndWhenTheHoldEnds() {
        answer(200, new JsonArray().add(canaryRoute().put("stage", "shadow").put("percent", 0.0)
                .put("hold", new JsonObject().put("until", "2026-11-25T14:10:00Z")
                        .put("summary", "held after rollback until 2026-11-25T14:10:00Z (`strangler resume posts-read` lifts it)"))));

        CommandResult result = strangler("status");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains(" held ");
        assertThat(lines.get(2).strip()).isEqualTo("held after rollback until 2026-11-25T14:10:00Z (`strangler resume posts-read` lifts it)");
    }

    @Test
    void pauseAndResumePostToTheirEndpoints() {
        JsonObject at = new JsonObject().put("stage", "shadow");
        answer(200, change(promotionEntry().put("action", "pause").put("from", at).put("to", at), pausedShadowRoute()));

        CommandResult paused = strangler("pause", "users", "--reason", "release freeze");
        CommandResult resumed = strangler("resume", "users");

        assertThat(paused.exitCode()).as(paused.err()).isZero();
        assertThat(paused.out()).startsWith("posts-read: paused at shadow (audit #12)");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(received).extracting(Received::uri).containsExactly("/api/routes/users/pause", "/api/routes/users/resume");
        assertThat(received).extracting(r -> new JsonObject(r.body()))
                .containsExactly(new JsonObject().put("reason", "release freeze"), new JsonObject());
    }

    @Test
    void historyAsksForTheRouteAndLimitAndPrintsEvidenceUnderItsEntry() {
        answer(200, history());

        CommandResult result = strangler("history", "posts-read", "--limit", "3");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(onlyRequest().uri()).isEqualTo("/api/audit?limit=3&route=posts-read");
        assertThat(result.out()).contains("every gate passed" + System.lineSeparator() + "    error rate: service 0.0%");
    }

    @Test
    void historyOfEveryRouteAsksForTheDefaultLimit() {
        answer(200, new JsonArray());

        CommandResult result = strangler("history");

        assertThat(onlyRequest().uri()).isEqualTo("/api/audit?limit=100");
        assertThat(result.out()).isEqualTo("no changes recorded" + System.lineSeparator());
    }

    @Test
    void aLimitOutsideTheApisBoundsIsBadInput() {
        CommandResult result = strangler("history", "--limit", "5000");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("--limit: 5000 (expected: 1 to 1000)");
        assertThat(received).isEmpty();
    }

    @Test
    void aMissingOrWrongTokenExits2AndSaysHowToPassOne() {
        answer(401, problem(401, "unauthorized", "/api needs the admin token: Authorization: Bearer <token>"));

        CommandResult wrong = strangler("status");
        CommandResult missing = CommandResult.run("status", "--admin", admin, "--token", "");

        assertThat(wrong.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(wrong.err()).contains("refused the token").contains("pass --token or set STRANGLER_ADMIN_TOKEN");
        assertThat(missing.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(missing.err()).contains("wants a token").contains("pass --token or set STRANGLER_ADMIN_TOKEN");
        assertThat(received.get(1).authorization()).isNull();
        assertThat(wrong.out()).isEmpty();
    }

    @Test
    void anUnknownRouteExits2WithTheApisDetail() {
        answer(404, problem(404, "unknown-route", "no route named posts-reed (routes: posts-read, users)"));

        CommandResult result = strangler("promote", "posts-reed");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).isEqualTo("error: no route named posts-reed (routes: posts-read, users)" + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anInvalidTransitionExits2WithTheDetailAndTheHint() {
        answer(409, problem(409, "invalid-transition", "posts-read is in shadow; live is two steps ahead")
                .put("from", new JsonObject().put("stage", "shadow")).put("to", new JsonObject().put("stage", "live"))
                .put("hint", "use force, or promote to canary first"));

        CommandResult result = strangler("promote", "posts-read", "--to", "live");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("posts-read is in shadow; live is two steps ahead")
                .contains("hint: use force, or promote to canary first");
    }

    @Test
    void aConcurrentChangeExits2AndSaysToTryAgain() {
        answer(409, problem(409, "conflict", "posts-read was changed by controller at the same moment"));

        CommandResult result = strangler("pause", "posts-read");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("changed by controller").contains("try again");
    }

    @Test
    void aMalformedRequestExits2WithTheApisDetail() {
        answer(400, problem(400, "bad-request", "percent: 150 (expected: 0..100)"));

        CommandResult result = strangler("promote", "posts-read");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("percent: 150 (expected: 0..100)");
    }

    @Test
    void anAdminThatRefusesTheHostExits2WithItsDetailNamingAllowedHosts() {
        answer(421, problem(421, "misdirected-request", "Host \"gw1.internal:9090\" is not this admin server's address; "
                + "... list that name in admin.allowed-hosts"));

        CommandResult result = strangler("status");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("refused the request").contains("admin.allowed-hosts");
    }

    @Test
    void everyChangeIsSentAsJson() {
        answer(200, new JsonObject());

        strangler("pause", "posts-read");

        assertThat(onlyRequest().contentType()).isEqualTo("application/json");
    }

    @Test
    void anUnreachableStateStoreExits1AndSaysNothingChanged() {
        answer(503, problem(503, "store-unavailable", "the state store at jdbc:postgresql://db/strangler does not answer"));

        CommandResult result = strangler("rollback", "posts-read", "--reason", "errors");

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.err()).contains("nothing was changed").contains("jdbc:postgresql://db/strangler does not answer");
    }

    @Test
    void anyOtherAnswerExits1WithTheStatusAndBody() {
        answer(500, problem(500, "internal", "the admin server failed; see its log"));

        CommandResult result = strangler("history");

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.err()).contains("500").contains("GET /api/audit?limit=100").contains("the admin server failed; see its log");
    }

    @Test
    void anAnswerThatIsNotTheApisJsonExits1() {
        status = 200;
        contentType = "text/html";
        answer = "<html>a web server</html>";

        CommandResult result = strangler("status");

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.err()).contains("something other than a JSON array").contains("a Strangler admin port?");
    }

    @Test
    void aGatewayThatIsDownExits1NamingTheUrlAndHowToPointElsewhere() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        CommandResult result = CommandResult.run("status", "--admin", "http://127.0.0.1:" + closed);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.err()).contains("http://127.0.0.1:" + closed).contains("is `strangler run` up? set --admin, STRANGLER_ADMIN or admin.listen in --config")
                .doesNotContain("STRANGLER_DEBUG");
    }

    @Test
    void anAdminValueThatIsNotAUrlIsBadInput() {
        CommandResult result = CommandResult.run("status", "--admin", "localhost:9090");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("--admin: \"localhost:9090\" is not an http URL");
    }

    @Test
    void aRouteNameIsEscapedInThePath() {
        answer(404, problem(404, "unknown-route", "no route named a b/c"));

        strangler("pause", "a b/c");

        assertThat(onlyRequest().uri()).isEqualTo("/api/routes/a%20b%2Fc/pause");
    }

    @Test
    void everyControlPlaneCommandIsListedAndHasHelpWithTheAdminOptions() {
        CommandResult list = CommandResult.run("--help");
        for (String command : new String[] {"status", "promote", "rollback", "pause", "resume", "history"}) {
            assertThat(list.out()).as(command).contains("  " + command);
            CommandResult help = CommandResult.run(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: strangler " + command).contains("--admin=URL", "--token=TOKEN", "--json");
        }
    }
}
