package dev.strangler.control.controller;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller against a real gateway whose service refuses connections: the fast path rolls the
 * canary back on a handful of failed requests, whatever {@code min-requests} says, and names it.
 */
class FastRollbackTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    @Test
    void aCanaryWhoseServiceRefusesConnectionsIsRolledBackWithUnreachableAsTheReason() throws IOException {
        int refused;
        try (ServerSocket s = new ServerSocket(0)) {
            refused = s.getLocalPort();
        }
        StranglerProcess p = gateways.start(dir.resolve("strangler.yaml"), Gateways.config("jdbc:h2:file:" + dir.resolve("state"),
                backends.healthy().actualPort(), refused, "200ms", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: canary
                    percent: 50
                    sticky: header:X-User-Id
                    gates: { min-requests: 10000, min-time: 1h }
                """));

        Await.until(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 10; i++) get(p.port(), "/api/orders/" + i, "X-User-Id", "u" + i);
            return p.gateway().config().routes().getFirst().position().toString().equals("shadow");
        });

        JsonObject rollback = array(get(p.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0);
        assertThat(rollback.getString("actor")).isEqualTo("controller");
        assertThat(rollback.getString("action")).isEqualTo("rollback");
        assertThat(rollback.getString("reason")).matches("service unreachable: (\\d+) of \\1 requests got no answer .*");
        assertThat(rollback.getJsonArray("evidence").getString(0)).startsWith("fast path: service unreachable").endsWith("FAIL");
    }
}
