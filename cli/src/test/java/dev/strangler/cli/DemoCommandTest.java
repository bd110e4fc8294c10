package dev.strangler.cli;

import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @Test
    void theCheckSendsUsersToBothSidesOfTheCanaryFindsTheRouteInTheDashboardAndExits0() {
        CommandResult result = CommandResult.run("demo", "--exit-after-check", "--port", "0", "--admin-port", "0");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out())
                .contains("X-Served-By: monolith")
                .contains("X-Served-By: posts-service")
                .containsPattern("check: GET http://127\\.0\\.0\\.1:\\d+/ and /api/overview +-> dashboard page, route posts-read")
                .contains("check passed");
    }

    @Test
    void theMigrationDemoTakesPostsReadToLiveOnEvidenceAndHoldsTheBrokenRouteInShadow() {
        CommandResult result = CommandResult.run("demo", "--migrate", "--exit-after-check", "--port", "0", "--admin-port", "0");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        String out = result.out();
        assertThat(out.lines().findFirst()).hasValueSatisfying(first -> assertThat(first)
                .matches("Dashboard: open http://127\\.0\\.0\\.1:\\d+/ in a browser.*"));
        // The audit trail, in the order it happened: each step of posts-read, by the controller.
        int toCanary = out.indexOf("posts-read promote  shadow -> canary 10%");
        int toHalf = out.indexOf("posts-read promote  canary 10% -> canary 50%");
        int toLive = out.indexOf("posts-read promote  canary 50% -> live");
        assertThat(toCanary).as(out).isPositive();
        assertThat(toHalf).as(out).isGreaterThan(toCanary);
        assertThat(toLive).as(out).isGreaterThan(toHalf);
        assertThat(out).doesNotContain("users-read promote")
                .containsPattern("users-read hold +shadow +by controller: match rate [0-9.]+% is below 99.0%")
                .contains("users-read: shadow, held: ").contains("check passed");
    }

    @Test
    void theGuideNamesTheRealPortsAndWhatToCurl() {
        CommandResult result = CommandResult.run("demo", "--exit-after-check", "--port", "0", "--admin-port", "0");

        assertThat(result.out())
                .containsPattern("gateway +http://127\\.0\\.0\\.1:\\d+")
                .containsPattern("curl -s -i -H 'X-User-Id: alice' http://127\\.0\\.0\\.1:\\d+/api/posts/1")
                .containsPattern("http://127\\.0\\.0\\.1:\\d+/health")
                .containsPattern("http://127\\.0\\.0\\.1:\\d+/metrics")
                .containsPattern("Dashboard: open http://127\\.0\\.0\\.1:\\d+/ in a browser")
                .doesNotContain(":0/");
    }

    @Test
    void aBusyPortFailsWithAHintToPickAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CommandResult result = CommandResult.run("demo", "--exit-after-check",
                    "--port", String.valueOf(taken.getLocalPort()), "--admin-port", "0");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err())
                    .contains("127.0.0.1:" + taken.getLocalPort())
                    .contains("--port");
        }
    }

    @Test
    void aBusyAdminPortNamesTheAdminOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CommandResult result = CommandResult.run("demo", "--exit-after-check",
                    "--port", "0", "--admin-port", String.valueOf(taken.getLocalPort()));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("--admin-port");
        }
    }

    @Test
    void aPortOutOfRangeIsBadInput() {
        CommandResult result = CommandResult.run("demo", "--port", "70000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--port: 70000");
    }

    @Test
    void theRouteTheGuideShowsAsYamlIsTheRouteTheDemoRuns() throws Exception {
        String yaml = """
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                """ + DemoGuide.YAML + "\n";

        GatewayConfig parsed = ConfigLoader.parse(yaml, Path.of("demo.yaml"), Map.of());

        assertThat(parsed.routes()).isEqualTo(DemoCommand.config(8081, 8082, 8080, 9090).routes());
    }
}
