package dev.strangler.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.strangler.cli.AdminApiDocuments.canaryRoute;
import static dev.strangler.cli.AdminApiDocuments.change;
import static dev.strangler.cli.AdminApiDocuments.history;
import static dev.strangler.cli.AdminApiDocuments.promotionEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every command that talks to a gateway finds it through {@code --config}: the admin address and
 * token come from the file's admin section; flags and the environment win over it.
 */
class AdminConfigTest {
    private record Received(String method, String path, String authorization) {}

    @TempDir
    Path dir;

    private HttpServer server;
    private int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Authorization")));
                exchange.getRequestBody().readAllBytes();
                byte[] body = answerFor(exchange.getRequestMethod(), path).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stopAdminApi() {
        server.stop(0);
    }

    private static String answerFor(String method, String path) {
        if (method.equals("POST")) return change(promotionEntry(), canaryRoute()).encode();
        if (path.equals("/api/routes")) return new JsonArray().add(canaryRoute()).encode();
        if (path.equals("/api/audit")) return history().encode();
        if (path.startsWith("/api/shadow/")) {
            return new JsonObject().put("route", "posts-read").put("comparisons", 10).put("matches", 9).put("mismatches", 1)
                    .put("matchRate", 0.9).put("dropped", new JsonObject()).put("paths", new JsonArray())
                    .put("samples", new JsonArray()).encode();
        }
        return "{}";
    }

    static List<List<String>> everyAdminCommand() {
        return List.of(List.of("status"), List.of("history"), List.of("history", "posts-read"), List.of("diff", "posts-read"),
                List.of("promote", "posts-read"), List.of("rollback", "posts-read", "--reason", "r"),
                List.of("percent", "posts-read", "5", "--reason", "r"), List.of("pause", "posts-read"),
                List.of("resume", "posts-read"));
    }

    private Path config(String admin) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                listen: 0.0.0.0:8080
                %s
                monolith: { url: http://127.0.0.1:8081 }
                routes:
                  - name: half-written   # the rest of the file need not validate for the CLI to find the admin API
                """.formatted(admin));
        return file;
    }

    @ParameterizedTest(name = "{0} --config FILE")
    @MethodSource("everyAdminCommand")
    void everyCommandFindsTheGatewayAndItsTokenInTheConfigFile(List<String> command) throws IOException {
        Path file = config("admin: { listen: 0.0.0.0:" + port + ", token: s3cret }");
        String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--config", file.toString()))
                .toArray(String[]::new);

        CommandResult result = CommandResult.run(args);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().authorization()).isEqualTo("Bearer s3cret");
    }

    @Test
    void aTokenFromTheEnvironmentOfTheFileIsSubstituted() throws IOException {
        Path file = config("admin: { listen: 127.0.0.1:" + port + ", token: ${MY_TOKEN} }");

        AdminTarget target = AdminTarget.resolve(null, null, file, Map.of("MY_TOKEN", "from-env"), dir);

        assertThat(target).isEqualTo(new AdminTarget("http://127.0.0.1:" + port, Optional.of("from-env")));
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
        Path file = config("admin: { listen: 127.0.0.1:7001, token: file-token }");
        Map<String, String> env = Map.of("STRANGLER_ADMIN", "http://127.0.0.1:7002", "STRANGLER_ADMIN_TOKEN", "env-token");

        assertThat(AdminTarget.resolve("http://127.0.0.1:7003", "flag-token", file, env, dir))
                .isEqualTo(new AdminTarget("http://127.0.0.1:7003", Optional.of("flag-token")));
        assertThat(AdminTarget.resolve(null, null, file, env, dir))
                .isEqualTo(new AdminTarget("http://127.0.0.1:7002", Optional.of("env-token")));
        assertThat(AdminTarget.resolve(null, null, file, Map.of("STRANGLER_ADMIN", "http://127.0.0.1:7002"), dir))
                .as("each setting is decided on its own").isEqualTo(new AdminTarget("http://127.0.0.1:7002", Optional.of("file-token")));
    }

    @Test
    void stranglerConfigNamesTheFileAndDotSlashStranglerYamlIsReadWhenPresent() throws IOException {
        Path file = config("admin: { listen: 127.0.0.1:7004 }");
        assertThat(AdminTarget.resolve(null, null, null, Map.of("STRANGLER_CONFIG", file.toString()), dir).url())
                .isEqualTo("http://127.0.0.1:7004");

        assertThat(AdminTarget.resolve(null, null, null, Map.of(), dir).url()).as("no file: the default")
                .isEqualTo(AdminTarget.DEFAULT_ADMIN);
        Files.writeString(dir.resolve("strangler.yaml"), "admin:\n  listen: \"[::]:7005\"\n");
        assertThat(AdminTarget.resolve(null, null, null, Map.of(), dir).url()).isEqualTo("http://[::1]:7005");
    }

    @Test
    void aNamedConfigThatIsMissingOrMalformedIsBadInputNamingTheFileAndField() throws IOException {
        CommandResult missing = CommandResult.run("status", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(missing.err()).contains("--config: ").contains("nope.yaml does not exist");

        Path file = config("admin: { listen: nowhere }");
        CommandResult malformed = CommandResult.run("status", "--config", file.toString());
        assertThat(malformed.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(malformed.err()).contains("gateway.yaml:2: admin.listen: \"nowhere\" is not host:port");
        assertThat(received).isEmpty();
    }
}
