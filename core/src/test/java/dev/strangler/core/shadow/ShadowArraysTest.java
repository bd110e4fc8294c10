package dev.strangler.core.shadow;

import dev.strangler.core.diff.ArrayRule;
import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.ResponseDiffer;
import dev.strangler.core.stage.ShadowSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the shadow report says about lists, with each of a route's array rules. */
class ShadowArraysTest {
    private static CapturedResponse json(String body) {
        return CapturedResponse.of(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseDiffer differ(ArrayRule arrays) {
        return new ResponseDiffer(new ShadowSettings(false, 64 * 1024, 8, List.of(), false, false, List.of(), arrays).diffOptions());
    }

    @Test
    void theExampleOfAListThatGainedAnElementNamesTheNewElementNotOneBothSidesHave() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        ResponseDiffer differ = differ(ArrayRule.ORDERED);
        for (int i = 0; i < 5; i++)
            results.recordComparison("products", differ.diff(json("[{\"id\":2},{\"id\":3},{\"id\":4}]"),
                    json("[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4}]")));

        RouteShadowSummary products = results.snapshot("products").orElseThrow();

        assertThat(products.paths()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("$[*]");
            assertThat(p.kinds()).isEqualTo(Map.of(DiffKind.EXTRA, 5L));
            assertThat(p.exampleMonolithValue()).isEmpty();
            assertThat(p.exampleServiceValue()).contains("{\"id\":1}");
        });
    }

    @Test
    void aKeyedRouteReportsTheFieldThatDiffersInTheElementWithThatKey() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        results.recordComparison("products", differ(ArrayRule.keyedBy("id")).diff(
                json("[{\"id\":1,\"price\":10},{\"id\":2,\"price\":20}]"),
                json("[{\"id\":2,\"price\":21},{\"id\":1,\"price\":10}]")));

        RouteShadowSummary products = results.snapshot("products").orElseThrow();

        assertThat(products.paths()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("$[*].price");
            assertThat(p.exampleMonolithValue()).contains("20");
            assertThat(p.exampleServiceValue()).contains("21");
        });
    }

    @Test
    void anUnorderedRouteSeesNoDifferenceInAReorderedList() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        results.recordComparison("products", differ(ArrayRule.UNORDERED).diff(json("[1,2,3]"), json("[3,1,2]")));

        assertThat(results.snapshot("products").orElseThrow().matches()).isEqualTo(1);
    }
}
