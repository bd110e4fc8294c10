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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.strangler.cli.AdminApiDocuments.canaryRoute;
import static dev.strangler.cli.AdminApiDocuments.change;
import static dev.strangler.cli.AdminApiDocuments.promotionEntry;
import static org.assertj.core.api.Assertions.assertThat;

/** The quick path (no picocli model) takes plain admin commands and leaves everything else to picocli, with the same results. */
class QuickStartTest {
    /**
     * What made every CLI call take seconds (docs/performance.md, "Where the time went"): a gateway's
     * libraries, loaded by a command that only sends one request and prints the answer.
     */
    private static final List<String> SERVER_LIBRARIES = List.of("io.vertx.", "io.netty.", "org.h2.", "org.flywaydb.",
            "com.zaxxer.hikari.", "com.fasterxml.jackson.databind.", "ch.qos.logback.", "java.net.http.");

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

    @Test
    void statusAndPromoteInAJvmOfTheirOwnLoadNoneOfTheGatewaysLibraries() throws Exception {
        answer = new JsonArray().add(canaryRoute()).encode();
        assertThat(serverLibraryClassesLoadedBy("status", "--admin", admin)).isEmpty();

        answer = change(promotionEntry(), canaryRoute()).encode();
        assertThat(serverLibraryClassesLoadedBy("promote", "posts-read", "--admin", admin, "--to", "canary:5")).isEmpty();
    }

    /** The classes of {@link #SERVER_LIBRARIES} a {@code strangler} process loads to run {@code args}; it must succeed. */
    private static List<String> serverLibraryClassesLoadedBy(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> loaded = output.lines().filter(l -> l.contains("[class,load] "))
                .map(l -> l.substring(l.indexOf("[class,load] ") + "[class,load] ".length()).split(" ", 2)[0]).toList();
        assertThat(loaded).as("the JVM logged the classes it loaded").anySatisfy(c -> assertThat(c).startsWith("dev.strangler.cli."));
        return loaded.stream().filter(c -> SERVER_LIBRARIES.stream().anyMatch(c::startsWith)).toList();
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
