package dev.strangler.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static dev.strangler.cli.AdminApiDocuments.canaryRoute;
import static dev.strangler.cli.AdminApiDocuments.change;
import static dev.strangler.cli.AdminApiDocuments.promotionEntry;
import static org.assertj.core.api.Assertions.assertThat;

/** The quick path (no picocli model) takes plain admin commands and leaves everything else to picocli, with the same results. */
class QuickStartTest {
    private HttpServer server;
    private String admin;
    private volatile String answer = "[]";

    @BeforeEach
    void startAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        admin = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void plainAdminCommandsAndVersionTakeTheQuickPath() {
        assertThat(QuickStart.handles(new String[] {"status"})).isTrue();
        assertThat(QuickStart.handles(new String[] {"status", "--admin=http://h:1", "--json"})).isTrue();
        assertThat(QuickStart.handles(new String[] {"history", "posts-read", "--limit", "5"})).isTrue();
        assertThat(QuickStart.handles(new String[] {"promote", "r", "--to", "canary:25", "--force", "--reason", "x"})).isTrue();
        assertThat(QuickStart.handles(new String[] {"rollback", "r", "--reason", "x", "-c", "f.yaml"})).isTrue();
        assertThat(QuickStart.handles(new String[] {"percent", "r", "5%", "--reason", "x"})).isTrue();
        assertThat(QuickStart.handles(new String[] {"--version"})).isTrue();
    }

    @Test
    void helpTyposMissingValuesAndBadValuesAreLeftToPicocli() {
        assertThat(QuickStart.handles(new String[] {"status", "--help"})).isFalse();
        assertThat(QuickStart.handles(new String[] {"status", "--jsno"})).isFalse();
        assertThat(QuickStart.handles(new String[] {"rollback", "r"})).as("--reason is required").isFalse();
        assertThat(QuickStart.handles(new String[] {"promote"})).as("ROUTE is missing").isFalse();
        assertThat(QuickStart.handles(new String[] {"promote", "a", "b"})).as("one parameter too many").isFalse();
        assertThat(QuickStart.handles(new String[] {"percent", "r", "150"})).as("not a percent").isFalse();
        assertThat(QuickStart.handles(new String[] {"promote", "r", "--to", "sideways"})).isFalse();
        assertThat(QuickStart.handles(new String[] {"status", "--admin"})).isFalse();
        assertThat(QuickStart.handles(new String[] {"status", "--json", "--json"})).isFalse();
        assertThat(QuickStart.handles(new String[] {"run", "--config", "x.yaml"})).isFalse();
        assertThat(QuickStart.handles(new String[] {})).isFalse();

        CommandResult typo = CommandResult.run("status", "--jsno");
        assertThat(typo.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(typo.err()).contains("Unknown option: '--jsno'").contains("--json");
    }

    @Test
    void bothPathsPrintTheSameReportAndExitTheSame() {
        answer = new JsonArray().add(canaryRoute()).encode();
        String[] status = {"status", "--admin", admin, "--json"};
        assertThat(QuickStart.handles(status)).isTrue();
        assertThat(CommandResult.run(status)).isEqualTo(viaPicocli(status));

        answer = change(promotionEntry(), canaryRoute()).encode();
        String[] promote = {"promote", "posts-read", "--admin", admin, "--to", "canary:5"};
        CommandResult quick = CommandResult.run(promote);
        assertThat(quick.out()).isEqualTo("posts-read: canary 1% → canary 5% (audit #12)\n");
        assertThat(quick).isEqualTo(viaPicocli(promote));

        String[] down = {"status", "--admin", "http://127.0.0.1:1"};
        assertThat(CommandResult.run(down)).isEqualTo(viaPicocli(down));
        assertThat(CommandResult.run(down).exitCode()).isEqualTo(Main.FAILED);
    }

    private static CommandResult viaPicocli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CommandResult(code, out.toString(), err.toString());
    }
}
