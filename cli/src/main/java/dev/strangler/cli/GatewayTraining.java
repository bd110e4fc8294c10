package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@link StartupTraining}'s {@code run} workload: starts a gateway twice over one H2 store in a
 * temporary directory (the first start creates the schema, the second finds it, as a restart
 * does), asks its admin port for {@code /health} and stops it. Ports are chosen by the OS.
 */
final class GatewayTraining {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private GatewayTraining() {}

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("strangler-training");
        try {
            Path config = dir.resolve("strangler.yaml");
            Files.writeString(config, """
                    listen: 127.0.0.1:0
                    admin: { listen: 127.0.0.1:0 }
                    store: { url: "jdbc:h2:file:%s" }
                    monolith: { url: http://127.0.0.1:9 }
                    services:
                      posts: { url: http://127.0.0.1:9 }
                    routes:
                      - name: posts-read
                        match: { methods: [GET], path: /api/posts/** }
                        service: posts
                        stage: shadow
                    """.formatted(dir.resolve("state").toString().replace('\\', '/')));
            for (int start = 0; start < 2; start++) {
                GatewayConfig c = ConfigLoader.load(config);
                StranglerProcess process = Blocking.await(StranglerProcess.start(c, 1), TIMEOUT, "start");
                try {
                    HttpURLConnection health = (HttpURLConnection) URI.create("http://127.0.0.1:" + process.adminPort() + "/health")
                            .toURL().openConnection();
                    health.getResponseCode();
                    health.disconnect();
                } finally {
                    Blocking.await(process.stop(), TIMEOUT, "stop");
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
