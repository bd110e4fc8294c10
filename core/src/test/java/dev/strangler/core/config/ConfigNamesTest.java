package dev.strangler.core.config;

import dev.strangler.core.diff.ArrayRule;
import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The words the config file uses for an enum are read back as the same value, and nothing else is. */
class ConfigNamesTest {

    @Test
    void everyStageFallbackAndHostHeaderIsReadBackFromTheWordItIsWrittenAs() {
        for (Stage s : Stage.values()) assertThat(Stage.fromConfigName(s.configName())).contains(s);
        for (FallbackPolicy p : FallbackPolicy.values()) assertThat(FallbackPolicy.fromConfigName(p.configName())).contains(p);
        for (HostHeader h : HostHeader.values()) assertThat(HostHeader.fromConfigName(h.configName())).contains(h);
        assertThat(HostHeader.SERVICE.configName()).isEqualTo("service");
        assertThat(FallbackPolicy.SAFE.configName()).isEqualTo("safe");
    }

    @Test
    void stageFallbackAndHostHeaderWordsAreCaseSensitiveAsTheyWereInTheLoader() {
        assertThat(Stage.fromConfigName("Canary")).isEmpty();
        assertThat(FallbackPolicy.fromConfigName("SAFE")).isEmpty();
        assertThat(FallbackPolicy.fromConfigName("never")).isEmpty();
        assertThat(HostHeader.fromConfigName("Keep")).isEmpty();
    }

    @Test
    void arrayRuleWordsAreReadInAnyCaseAndKeyedByNeedsAMapping() {
        assertThat(ArrayRule.fromConfigName("Unordered")).contains(ArrayRule.UNORDERED);
        assertThat(ArrayRule.fromConfigName("ordered")).contains(ArrayRule.ORDERED);
        assertThat(ArrayRule.fromConfigName(ArrayRule.UNORDERED.toString())).contains(ArrayRule.UNORDERED);
        assertThat(ArrayRule.fromConfigName("keyed-by")).isEqualTo(Optional.empty());
    }

    @Test
    void anUnknownHostHeaderIsStillReportedWithItsLineAndTheChoices() {
        String yaml = """
                monolith: { url: http://127.0.0.1:8081 }
                services: { posts: { url: http://127.0.0.1:8082 } }
                routes:
                  - name: posts-read
                    match: { path: /api/posts/** }
                    service: posts
                    host-header: client
                """;
        try {
            ConfigLoader.parse(yaml, java.nio.file.Path.of("strangler.yaml"), java.util.Map.of());
            throw new AssertionError("expected host-header: client to be refused");
        } catch (ConfigException e) {
            assertThat(e.errors()).singleElement().asString().isEqualTo("strangler.yaml:7: routes[0] (posts-read).host-header: "
                    + "\"client\" is not a choice; use keep (the client's Host) or service (the service URL's host)");
        }
    }
}
