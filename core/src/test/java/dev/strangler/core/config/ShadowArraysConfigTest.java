package dev.strangler.core.config;

import dev.strangler.core.diff.ArrayRule;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code arrays} key of a route's {@code shadow:} section. */
class ShadowArraysConfigTest {
    private static final Path FILE = Path.of("strangler.yaml");

    private static String route(String shadow) {
        return """
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: r
                    match: { path: /a/** }
                    service: posts
                    stage: shadow
                """ + shadow;
    }

    private static ArrayRule arraysOf(String shadow) throws ConfigException {
        return ConfigLoader.parse(route(shadow), FILE, Map.of()).routes().get(0).shadow().arrays();
    }

    private static List<String> errorsOf(String shadow) {
        try {
            ConfigLoader.parse(route(shadow), FILE, Map.of());
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected the config to be refused:\n" + shadow);
    }

    @Test
    void arraysAreOrderedUnlessTheRouteSaysUnorderedOrNamesAKey() throws Exception {
        assertThat(arraysOf("")).isEqualTo(ArrayRule.ORDERED);
        assertThat(arraysOf("    shadow: { arrays: ordered }\n")).isEqualTo(ArrayRule.ORDERED);
        assertThat(arraysOf("    shadow: { arrays: unordered }\n")).isEqualTo(ArrayRule.UNORDERED);
        assertThat(arraysOf("    shadow: { arrays: { keyed-by: id } }\n")).isEqualTo(ArrayRule.keyedBy("id"));
        assertThat(arraysOf("""
                    shadow:
                      arrays:
                        keyed-by: sku
                """)).isEqualTo(ArrayRule.keyedBy("sku"));
    }

    @Test
    void theKeyedRuleComparesObjectsByTheirKeyWhateverTheirOrder() throws Exception {
        var options = ConfigLoader.parse(route("    shadow: { arrays: { keyed-by: id } }\n"), FILE, Map.of())
                .routes().get(0).shadow().diffOptions();

        assertThat(options.arrayKey()).contains("id");
        assertThat(options.ignorePaths()).isEmpty();
    }

    @Test
    void aWrongArrayRuleIsReportedWithItsLineAndTheForms() {
        assertThat(errorsOf("    shadow: { arrays: unorderd }\n")).singleElement().asString()
                .startsWith("strangler.yaml:9: routes[0] (r).shadow.arrays: \"unorderd\" is not an array rule; did you mean unordered?");
        assertThat(errorsOf("    shadow:\n      arrays: \"keyed-by: id\"\n")).singleElement().asString()
                .startsWith("strangler.yaml:10: routes[0] (r).shadow.arrays: \"keyed-by: id\" is not an array rule; a key goes in a mapping");
        assertThat(errorsOf("    shadow: { arrays: { keyed-by: $.id } }\n")).singleElement().asString()
                .contains("routes[0] (r).shadow.arrays.keyed-by: \"$.id\" is not a member name");
        assertThat(errorsOf("    shadow: { arrays: { keyedby: id } }\n"))
                .anySatisfy(e -> assertThat(e).contains("routes[0] (r).shadow.arrays.keyedby: unknown key; did you mean keyed-by?"))
                .anySatisfy(e -> assertThat(e).contains("routes[0] (r).shadow.arrays.keyed-by: missing"));
        assertThat(errorsOf("    shadow: { arrays: [id] }\n")).singleElement().asString()
                .contains("routes[0] (r).shadow.arrays: expected ordered, unordered or a mapping");
    }
}
