package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.examples.BlogData;
import dev.strangler.examples.DemoMonolith;
import dev.strangler.examples.DemoPostsService;
import dev.strangler.examples.DemoUsersService;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DemoMigrationTest {
    private static final Duration START = Duration.ofSeconds(30);

    @Test
    void aMigrationThatCannotFinishInTimeFailsTheCheckSayingWhereEachRouteIs() throws Exception {
        Vertx apps = Vertx.vertx();
        StranglerProcess process = null;
        try {
            BlogData data = BlogData.sample();
            DemoMonolith monolith = Blocking.await(DemoMonolith.start(apps, DemoCommand.HOST, 0, data), START, "monolith");
            DemoPostsService posts = Blocking.await(DemoPostsService.start(apps, DemoCommand.HOST, 0, data), START, "posts");
            DemoUsersService users = Blocking.await(DemoUsersService.start(apps, DemoCommand.HOST, 0, data), START, "users");
            process = Blocking.await(StranglerProcess.start(
                    DemoMigration.config(monolith.port(), posts.port(), users.port(), 0, 0), 1), START, "gateway");
            DemoGuide guide = new DemoGuide(DemoCommand.HOST, process.port(), process.adminPort(), monolith.port(), posts.port());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            // Shadow alone needs 3 s by the demo's gates: one second cannot reach live.
            boolean passed = new DemoMigration(process, guide, new PrintWriter(out, true), new PrintWriter(err, true))
                    .run(Duration.ofSeconds(1));

            assertThat(passed).isFalse();
            assertThat(err.toString()).contains("check failed: posts-read did not reach live within 1 s (it is at shadow)");
            assertThat(out.toString()).contains("posts-read: shadow").doesNotContain("check passed");
        } finally {
            if (process != null) Blocking.await(process.stop(), START, "stop");
            Blocking.await(apps.close(), START, "stop the apps");
        }
    }
}
