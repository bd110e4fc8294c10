package dev.strangler.gateway.reload;

import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigChangesTest {
    private static final String BASE = """
            listen: 127.0.0.1:8080
            monolith: { url: http://127.0.0.1:8081 }
            services:
              posts: { url: http://127.0.0.1:8082 }
            routes:
              - name: posts-read
                match: { path: /api/posts/** }
                service: posts
                stage: canary
                percent: 10
              - name: legacy
                match: { path: /legacy/** }
                service: posts
            """;

    private static GatewayConfig parse(String yaml, String file) throws Exception {
        return ConfigLoader.parse(yaml, Path.of(file), Map.of());
    }

    @Test
    void theSameSettingsReadFromAnotherFileWithOtherCommentsChangeNothing() throws Exception {
        assertThat(ConfigChanges.between(parse(BASE, "a.yaml"), parse("# edited\n" + BASE, "b.yaml"))).isEmpty();
    }

    @Test
    void everyChangeIsNamedWithWhatChangedAndWhetherItTakesARestart() throws Exception {
        String edited = BASE
                .replace("percent: 10", "percent: 25")
                .replace("http://127.0.0.1:8082", "http://127.0.0.1:9082")
                .replace("listen: 127.0.0.1:8080", "listen: 127.0.0.1:8000")
                .replace("""
                          - name: legacy
                            match: { path: /legacy/** }
                        """, """
                          - name: users
                            match: { path: /api/users/** }
                            stage: live
                        """);
        assertThat(ConfigChanges.between(parse(BASE, "s.yaml"), parse(edited, "s.yaml"))).containsExactly(
                "posts-read: percent 10% -> 25%",
                "users: added, live",
                "legacy: removed",
                "service posts: urls [http://127.0.0.1:8082] -> [http://127.0.0.1:9082]",
                "listen: 127.0.0.1:8080 -> 127.0.0.1:8000 (takes a restart)");
    }

    @Test
    void settingsAreNamedByTheirKeyWithValuesAsTheFileWritesThemAndNoSecret(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path openapi = java.nio.file.Files.writeString(dir.resolve("api.yaml"), "openapi: 3.0.0\n");
        String file = dir.resolve("s.yaml").toString();
        String edited = BASE.replace("listen: 127.0.0.1:8080", """
                listen: 127.0.0.1:8080
                admin: { listen: 127.0.0.1:9191, token: s3cret }
                shutdown: { drain-timeout: 5s }
                catalog: { openapi: api.yaml }""");
        assertThat(ConfigChanges.between(parse(BASE, file), parse(edited, file))).containsExactly(
                "admin.listen: 127.0.0.1:9090 -> 127.0.0.1:9191 (takes a restart)",
                "admin.token: (none) -> (set) (takes a restart)",
                "shutdown.drain-timeout: 30s -> 5s",
                "catalog.openapi: (none) -> " + openapi + " (takes a restart)");
    }
}
