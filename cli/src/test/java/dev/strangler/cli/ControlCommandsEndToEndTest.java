package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The control commands against a real gateway's admin API, with a token: what an operator types. */
class ControlCommandsEndToEndTest {
    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private StranglerProcess process;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        HttpServer backend = await(vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1"));
        Path file = dir.resolve("strangler.yaml");
        Files.writeString(file, """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0, token: s3cret }
                store: { url: "jdbc:h2:file:%s" }
                access-log: false
                monolith: { url: http://127.0.0.1:%d }
                services:
                  posts: { url: http://127.0.0.1:%d }
                routes:
                  - name: posts-read
                    match: { methods: [GET], path: /api/posts/** }
                    service: posts
                    stage: shadow
                  - name: posts-write
                    match: { methods: [POST], path: /api/posts/** }
                    service: posts
                """.formatted(dir.resolve("state"), backend.actualPort(), backend.actualPort()));
        process = await(StranglerProcess.start(ConfigLoader.load(file), 1));
        admin = "http://127.0.0.1:" + process.adminPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null) await(process.stop());
        await(vertx.close());
    }

    private CommandResult strangler(String command, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--admin";
        all[args.length + 2] = admin;
        all[args.length + 3] = "--token";
        all[args.length + 4] = "s3cret";
        return CommandResult.run(all);
    }

    @Test
    void anOperatorPromotesRollsBackAndReadsTheHistory() {
        CommandResult status = strangler("status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("posts-read").contains("shadow").contains("canary 1%");

        CommandResult promoted = strangler("promote", "posts-read", "--reason", "diffs clean");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        assertThat(promoted.out()).startsWith("posts-read: shadow → canary 1% (audit #");

        CommandResult skip = strangler("promote", "posts-read", "--to", "retired");
        assertThat(skip.exitCode()).isEqualTo(2);
        assertThat(skip.err()).contains("skips live").contains("hint: `strangler promote posts-read` moves one step at a time");

        CommandResult rolledBack = strangler("rollback", "posts-read", "--reason", "500s on page 2");
        assertThat(rolledBack.exitCode()).as(rolledBack.err()).isZero();
        assertThat(rolledBack.out()).startsWith("posts-read: canary 1% → shadow");

        CommandResult history = strangler("history", "posts-read");
        assertThat(history.exitCode()).isZero();
        assertThat(history.out()).contains("rollback").contains("500s on page 2").contains("diffs clean").contains("create");
        assertThat(history.out().indexOf("rollback")).isLessThan(history.out().indexOf("diffs clean")); // newest first
    }

    @Test
    void aMoveThatLeavesReadsOnTheMonolithBehindItsWritesIsMadeAndWarnsOnStderr() {
        CommandResult moved = strangler("promote", "posts-write", "--to", "live", "--force", "--reason", "writes first");

        assertThat(moved.exitCode()).as(moved.err()).isZero();
        assertThat(moved.out()).startsWith("posts-write: monolith → live (audit #");
        assertThat(moved.err()).startsWith("warning: routes posts-write and posts-read: posts-write sends writes (POST) of "
                + "/api/posts/** to service posts (live), but posts-read's reads of /api/posts/** are still answered by the monolith")
                .contains("move posts-read to live before (or with) posts-write");
        assertThat(strangler("history", "posts-write").out()).contains("warning: routes posts-write and posts-read");
    }

    /**
     * Each refusal's hint is run as written (TEXT filled in): it must be a command the CLI accepts
     * and the gateway carries out from where the route is.
     */
    @Test
    void everyRefusalsHintIsACommandThatWorks() {
        // shadow → retired skips canary and live: the hint's forced promote works.
        assertThat(hintWorks(strangler("promote", "posts-read", "--to", "retired"), "--force")).contains("shadow → retired");
        // retired → shadow is refused without force: the hint's forced rollback works.
        assertThat(hintWorks(strangler("rollback", "posts-read", "--to", "shadow", "--reason", "oops"), "--force"))
                .contains("retired → shadow");
        // percent outside canary: the hint's promote to canary works.
        assertThat(hintWorks(strangler("percent", "posts-read", "20"), "--to canary:20")).contains("shadow → canary 20%");
        // a lower canary share with promote: the hint's percent works.
        assertThat(hintWorks(strangler("promote", "posts-read", "--to", "canary:5"), "percent")).contains("canary 20% → canary 5%");
        // a rollback ahead: the hint's promote works.
        assertThat(hintWorks(strangler("rollback", "posts-read", "--to", "canary:50", "--reason", "typo"), "--to canary:50"))
                .contains("canary 5% → canary 50%");
        // already running: the hint's pause works.
        assertThat(hintWorks(strangler("resume", "posts-read"), "pause")).contains("paused at canary 50%");
        // already paused: the hint's resume works.
        assertThat(hintWorks(strangler("pause", "posts-read"), "resume")).contains("resumed at canary 50%");
    }

    /** Runs the hint's last command (the one containing {@code marker}) and returns what it printed. */
    private String hintWorks(CommandResult refused, String marker) {
        assertThat(refused.exitCode()).as(refused.out()).isEqualTo(2);
        String hint = refused.err().lines().filter(l -> l.startsWith("hint: ")).findFirst().orElseThrow(() ->
                new AssertionError("no hint in: " + refused.err()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`strangler ([^`]+)`").matcher(hint);
        String command = null;
        while (m.find()) if (m.group(1).contains(marker)) command = m.group(1);
        assertThat(command).as("a command with %s in: %s", marker, hint).isNotNull();
        String[] words = command.replace("TEXT", "from-the-hint").split(" ");
        CommandResult ran = strangler(words[0], java.util.Arrays.copyOfRange(words, 1, words.length));
        assertThat(ran.exitCode()).as("`strangler %s`: %s", command, ran.err()).isZero();
        return ran.out();
    }

    @Test
    void aWrongTokenIsBadInput() {
        CommandResult r = CommandResult.run("status", "--admin", admin, "--token", "nope");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--token");
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
