package dev.strangler.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A service's {@code outlier} key: defaults, every field read, mistakes reported with file and line. */
class OutlierConfigTest {
    private static final Path FILE = Path.of("strangler.yaml");

    private static GatewayConfig parse(String services) throws ConfigException {
        return ConfigLoader.parse("monolith: { url: http://127.0.0.1:8081 }\nservices:\n" + services, FILE, Map.of());
    }

    private static List<String> errorsOf(String services) {
        try {
            parse(services);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected the config to be refused:\n" + services);
    }

    @Test
    void aServiceWithoutTheKeyIsEjectedAfterFiveHardFailuresForTenSecondsAndTheMonolithNever() throws Exception {
        GatewayConfig c = parse("  posts: http://127.0.0.1:8082\n");

        assertThat(c.service("posts").outlier()).isEqualTo(new Outlier(5, Duration.ofSeconds(10), Duration.ofMinutes(5)));
        assertThat(c.monolith().outlier().isEnabled()).isFalse();
    }

    @Test
    void everyFieldIsRead() throws Exception {
        GatewayConfig c = parse("  posts: { url: http://127.0.0.1:8082, outlier: { consecutive-failures: 3, ejection-time: 2s, max-ejection-time: 30s } }\n");

        assertThat(c.service("posts").outlier()).isEqualTo(new Outlier(3, Duration.ofSeconds(2), Duration.ofSeconds(30)));
        assertThat(c.service("posts").outlier().ejectionTime(20)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void zeroConsecutiveFailuresTurnsItOff() throws Exception {
        assertThat(parse("  posts: { url: http://127.0.0.1:8082, outlier: { consecutive-failures: 0 } }\n")
                .service("posts").outlier().isEnabled()).isFalse();
    }

    @Test
    void mistakesAreReportedWithTheirFieldAndLine() {
        assertThat(errorsOf("  posts: { url: http://127.0.0.1:8082, outlier: { consecutive-failures: -1, ejection-time: 1s, max-ejection-time: 500ms, typo: 1 } }\n"))
                .anySatisfy(e -> assertThat(e).startsWith("strangler.yaml:3: services.posts.outlier.consecutive-failures: "))
                .anySatisfy(e -> assertThat(e).contains("services.posts.outlier.max-ejection-time: must be at least ejection-time"))
                .anySatisfy(e -> assertThat(e).contains("services.posts.outlier.typo"));
    }
}
