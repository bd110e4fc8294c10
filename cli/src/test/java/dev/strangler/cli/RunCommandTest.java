package dev.strangler.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strangler run} as an operator runs it: a separate JVM, stopped with SIGTERM. A JVM of its
 * own because the command ends by halting the JVM from its shutdown hook.
 */
class RunCommandTest {
    private static final Pattern LISTENING =
            Pattern.compile("gateway on http://127\\.0\\.0\\.1:(\\d+) .*admin on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration SLOW = Duration.ofSeconds(2);

    private Process process;
    private Output stdout;
    private Output stderr;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void servesTheConfigNamedByStranglerConfigThenDrainsOnSigtermAndExits0WithTheAccessLogFlushed() throws Exception {
        Path config = config(startMonolith().actualPort());
        Matcher listening = startRunNamedByTheEnvironment(config);

        HttpResponse<String> proxied = get(listening.group(1), "/api/users/1");
        HttpResponse<String> health = get(listening.group(2), "/health");
        // SIGTERM through the handle: Process.destroy() would also close our ends of its pipes.
        process.toHandle().destroy();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        List<String> out = stdout.all();
        List<String> err = stderr.all();
        assertThat(process.exitValue()).as(String.join("\n", err)).isZero();
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.headers().firstValue("X-Served-By")).hasValue("monolith");
        assertThat(health.body()).contains("\"config\":\"" + config + "\"");
        assertThat(out).anySatisfy(line -> assertThat(line).startsWith("{").contains("\"path\":\"/api/users/1\""));
        assertThat(out).allSatisfy(line -> assertThat(line).startsWith("{\"time\":\"").contains("\"request_id\":"));
        assertThat(String.join("\n", err)).contains("draining").contains("stopped");
        assertThat(err).as("libraries log at WARN: no Hikari or Flyway start-up chatter")
                .noneSatisfy(line -> assertThat(line).containsAnyOf("hikari", "flywaydb", " INFO  [main] o.", " INFO  [main] c."));
        assertThat(err).anySatisfy(line -> assertThat(line).startsWith("strangler: gateway on ").contains(", store jdbc:"));
    }

    @Test
    void aLogLevelThatIsNotOneIsBadInputBeforeAnythingStarts() throws Exception {
        CommandResult result = CommandResult.run("run", "--config", config(9).toString(), "--log-level", "loud");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("--log-level: \"loud\" is not a level");
    }

    @Test
    void aRequestInFlightAtSigtermStillGetsItsAnswer() throws Exception {
        Path config = config(startMonolith().actualPort());
        Matcher listening = startRun(config);

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listening.group(1) + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        awaitInFlight(listening.group(2));
        long signalled = System.nanoTime();
        process.toHandle().destroy();

        assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(slow.get().body()).isEqualTo("slow hello");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", stderr.all())).isZero();
        // The drain ends with the last request, not at its 10 s bound.
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(8));
    }

    /** Answers at once, except {@code /slow}: after {@link #SLOW}, long enough to be caught in flight. */
    private HttpServer startMonolith() throws Exception {
        return vertx.createHttpServer()
                .requestHandler(req -> {
                    req.response().putHeader("X-Served-By", "monolith");
                    if (req.path().equals("/slow")) vertx.setTimer(SLOW.toMillis(), t -> req.response().end("slow hello"));
                    else req.response().end("hello");
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Path config(int monolithPort) throws Exception {
        return Files.writeString(dir.resolve("strangler.yaml"), """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0 }
                monolith: { url: http://127.0.0.1:%d }
                shutdown: { drain-timeout: 10s }
                """.formatted(monolithPort));
    }

    /** Starts {@code strangler run} in its own JVM; the match holds the gateway's and the admin's ports. */
    private Matcher startRun(Path config) throws Exception {
        return start(new ProcessBuilder(java(), "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--config", config.toString()));
    }

    /** Starts {@code strangler run} with no {@code --config}: the file is named by {@code STRANGLER_CONFIG}. */
    private Matcher startRunNamedByTheEnvironment(Path config) throws Exception {
        ProcessBuilder run = new ProcessBuilder(java(), "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run");
        run.environment().put(ConfigFile.ENV, config.toString());
        return start(run);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Matcher start(ProcessBuilder run) throws Exception {
        process = run.start();
        stdout = Output.of(process.getInputStream());
        stderr = Output.of(process.getErrorStream());
        return awaitLine(stderr.lines, LISTENING);
    }

    private HttpResponse<String> get(String port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitInFlight(String adminPort) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!get(adminPort, "/health").body().contains("\"inFlight\":1")) {
            if (System.nanoTime() > deadline) throw new AssertionError("the slow request never showed as in flight");
            Thread.sleep(20); // polling the admin port: there is no event to wait on
        }
    }

    /** A child's stream, read on a thread of its own so a full pipe never blocks the child. */
    private record Output(List<String> lines, Thread reader) {
        static Output of(InputStream stream) {
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) lines.add(line);
                } catch (java.io.IOException ignored) {
                    // the child went away: what was read is what there is
                }
            });
            reader.setDaemon(true);
            reader.start();
            return new Output(lines, reader);
        }

        /** Every line, once the child has closed the stream (it exited). */
        List<String> all() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return lines;
        }
    }

    private Matcher awaitLine(List<String> lines, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                Matcher m = pattern.matcher(line);
                if (m.find()) return m;
            }
            if (!process.isAlive()) throw new AssertionError("run exited with " + process.exitValue() + ":\n" + String.join("\n", lines));
            Thread.sleep(50); // polling a child's output: there is no event to wait on
        }
        throw new AssertionError("run did not report its addresses within 60 s:\n" + String.join("\n", lines));
    }
}
