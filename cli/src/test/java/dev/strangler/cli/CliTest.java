package dev.strangler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user meets it, run in-process through picocli. */
class CliTest {
    @TempDir
    Path dir;

    @Test
    void validateAcceptsAGoodFileAndCountsItsRoutesAndServices() throws Exception {
        Path file = write("good.yaml", """
                listen: 127.0.0.1:8080
                admin: { listen: 127.0.0.1:9090 }
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: posts-read
                    match: { methods: [GET], path: /api/posts/** }
                    service: posts
                    stage: canary
                    percent: 10
                    sticky: header:X-User-Id
                  - name: users
                    match: { path: "/api/users/{id}" }
                    service: posts
                    stage: live
                    rewrite: /users/{id}
                    fallback: none
                """);

        CommandResult result = CommandResult.run("validate", "--config", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("OK: " + file + " (2 routes, 1 service)" + System.lineSeparator());
        assertThat(result.err()).isEmpty();
    }

    @Test
    void validateWarnsAboutReadsTheMonolithCanAnswerStaleOnceWritesAreLiveButStillAccepts() throws Exception {
        Path file = write("stale.yaml", """
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: posts-write
                    match: { methods: [POST, PUT], path: /api/posts/** }
                    service: posts
                    stage: live
                  - name: posts-read
                    match: { methods: [GET], path: "/api/posts/{id}" }
                    service: posts
                    stage: live
                """);

        CommandResult result = CommandResult.run("validate", "--config", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("OK: ");
        assertThat(result.err().lines()).containsExactly(file + ": warning: routes posts-write and posts-read: posts-write "
                + "sends writes (POST, PUT) of /api/posts/** to service posts (live), but posts-read's reads of "
                + "/api/posts/{id} fall back to the monolith when the service fails (fallback: safe), and the monolith no "
                + "longer sees those writes: it can answer them stale or missing (e.g. 404 for a record created on the "
                + "service); set fallback: none on posts-read to answer the service's error instead, or accept stale "
                + "reads during an outage");

        Files.writeString(file, Files.readString(file) + "    fallback: none\n");
        CommandResult fixed = CommandResult.run("validate", "--config", file.toString());
        assertThat(fixed.exitCode()).isZero();
        assertThat(fixed.err()).isEmpty();
    }

    @Test
    void validateReportsEveryProblemWithItsFileAndLineOnStderrAndExits2() throws Exception {
        Path file = write("bad.yaml", """
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: posts-read
                    match: { path: /api/posts/** }
                    service: posts
                    stage: canary
                    percent: 150
                  - name: users
                    match: { path: /api/users/** }
                    service: nobody
                """);

        CommandResult result = CommandResult.run("validate", "--config", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).hasSize(2);
        assertThat(result.err()).contains(file + ":9: routes[0]").contains(file + ":12: routes[1]");
        assertThat(result.err()).containsPattern(":9: .*percent").containsPattern(":12: .*service");
    }

    @Test
    void validateRefusesAnAdminPortOpenToTheNetworkWithoutAToken() throws Exception {
        Path file = write("exposed.yaml", """
                admin: { listen: 0.0.0.0:9090 }
                monolith: { url: http://127.0.0.1:8081 }
                """);

        CommandResult result = CommandResult.run("validate", "--config", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(file.toString()).contains("admin").contains("token");
    }

    @Test
    void validateRefusesACatalogOpenApiDocumentThatRunWouldRefuse() throws Exception {
        write("monolith.yaml", "-----BEGIN CERTIFICATE-----\n");
        Path file = write("openapi.yaml", """
                catalog: { openapi: monolith.yaml }
                monolith: { url: http://127.0.0.1:8081 }
                """);

        CommandResult result = CommandResult.run("validate", "--config", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("catalog.openapi").contains("not an OpenAPI 3 document");
    }

    @Test
    void validateReportsAMissingFile() {
        Path missing = dir.resolve("missing.yaml");

        CommandResult result = CommandResult.run("validate", "--config", missing.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(missing.toString());
    }

    @Test
    void runRefusesAnInvalidConfigBeforeListeningAndExits2() throws Exception {
        Path file = write("bad.yaml", "monolith: { url: not a url }\n");

        CommandResult result = CommandResult.run("run", "--config", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(file + ":1: monolith.url");
    }

    @Test
    void validateWithoutAConfigOptionIsBadInput() {
        CommandResult result = CommandResult.run("validate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--config").contains("strangler validate --help");
    }

    @Test
    void anUnknownCommandIsBadInputWithAHint() {
        CommandResult result = CommandResult.run("frobnicate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("frobnicate").contains("strangler --help");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aMisspelledCommandGetsASuggestion() {
        CommandResult result = CommandResult.run("valdate", "--config", "x.yaml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("validate");
    }

    @Test
    void noCommandPrintsTheCommandsOnStderrAndExits2() {
        CommandResult result = CommandResult.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("validate").contains("run").contains("demo");
    }

    @Test
    void helpListsTheCommandsOnStdout() {
        CommandResult result = CommandResult.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("validate").contains("run").contains("demo");
    }

    @Test
    void eachCommandHasHelp() {
        for (String command : new String[] {"validate", "run", "demo"}) {
            CommandResult result = CommandResult.run(command, "--help");
            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.out()).as(command).contains("Usage: strangler " + command);
        }
        assertThat(CommandResult.run("help", "demo").out()).contains("--exit-after-check");
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
