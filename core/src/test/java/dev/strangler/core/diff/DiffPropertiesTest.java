package dev.strangler.core.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of the JSON comparison over arbitrary trees. Names, strings and numbers come from
 * small alphabets so two independent trees share much of their structure, and names include ones
 * that need quoting ({@code a.b}, {@code it's}, {@code *}, the empty name) so reported paths are
 * checked to parse back into globs that match exactly them.
 */
class DiffPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** High enough that no generated pair of trees reaches it. */
    private static final DiffOptions UNCAPPED = DiffOptions.DEFAULTS.withMaxDifferences(100_000);

    @Provide
    Arbitrary<JsonNode> trees() {
        return tree(4);
    }

    private static Arbitrary<JsonNode> tree(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.integers().between(-2, 2).map(IntNode::valueOf),
                Arbitraries.of(0.5, 1.0, 2.0, -1.5).map(DoubleNode::valueOf),
                Arbitraries.strings().withChars("ab.'").ofMaxLength(2).map(TextNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance));
        if (depth == 0)
            return leaf;
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> tree(depth - 1));
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(elements -> {
            ArrayNode node = NODES.arrayNode();
            node.addAll(elements);
            return node;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.of("a", "b", "id", "a.b", "it's", "*", "", "0"), child)
                .ofMaxSize(4).map(members -> {
                    ObjectNode node = NODES.objectNode();
                    members.forEach(node::set);
                    return node;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, array), Tuple.of(2, object));
    }

    private static DiffOptions options(boolean unordered) {
        return UNCAPPED.withUnorderedArrays(unordered);
    }

    private static CapturedResponse json(String body) {
        return CapturedResponse.of(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> pathsAndKinds(DiffResult result, boolean swapMissingAndExtra) {
        return result.differences().stream().map(d -> {
            DiffKind kind = d.kind();
            if (swapMissingAndExtra && kind == DiffKind.MISSING)
                kind = DiffKind.EXTRA;
            else if (swapMissingAndExtra && kind == DiffKind.EXTRA)
                kind = DiffKind.MISSING;
            return kind + " " + d.path();
        }).collect(Collectors.toSet());
    }

    @Property(tries = 300)
    void aTreeMatchesItself(@ForAll("trees") JsonNode tree, @ForAll boolean unordered) {
        ResponseDiffer differ = new ResponseDiffer(options(unordered));

        assertThat(differ.diffJson(tree, tree.deepCopy()).differences()).isEmpty();
        assertThat(differ.diff(json(tree.toString()), json(tree.toPrettyString())).differences()).isEmpty();
    }

    @Property(tries = 500)
    void swappingTheResponsesSwapsMissingAndExtraAndNothingElse(
            @ForAll("trees") JsonNode a, @ForAll("trees") JsonNode b, @ForAll boolean unordered) {
        ResponseDiffer differ = new ResponseDiffer(options(unordered));

        DiffResult forward = differ.diffJson(a, b);
        DiffResult backward = differ.diffJson(b, a);

        assertThat(forward.truncated()).isFalse();
        assertThat(forward.differences()).hasSameSizeAs(backward.differences());
        assertThat(pathsAndKinds(backward, true)).isEqualTo(pathsAndKinds(forward, false));
    }

    @Property(tries = 500)
    void ignoringEveryReportedPathMakesTheTreesMatch(@ForAll("trees") JsonNode a, @ForAll("trees") JsonNode b) {
        List<String> reported = new ResponseDiffer(UNCAPPED).diffJson(a, b).differences().stream()
                .map(Difference::path).distinct().toList();

        DiffResult ignoringThem = new ResponseDiffer(UNCAPPED.withIgnorePaths(reported)).diffJson(a, b);

        assertThat(ignoringThem.differences()).isEmpty();
    }

    @Property(tries = 300)
    void theCapKeepsAPrefixOfTheFullResult(
            @ForAll("trees") JsonNode a, @ForAll("trees") JsonNode b, @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5) int cap) {
        List<Difference> all = new ResponseDiffer(UNCAPPED).diffJson(a, b).differences();

        DiffResult capped = new ResponseDiffer(UNCAPPED.withMaxDifferences(cap)).diffJson(a, b);

        assertThat(capped.differences()).isEqualTo(all.subList(0, Math.min(cap, all.size())));
        assertThat(capped.truncated()).isEqualTo(all.size() > cap);
    }
}
