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
 *
 * <p>The exact symmetry and ignore properties hold for arrays compared by position. With the alignment
 * of ordered arrays (the default), which element pairs with which depends on equality between
 * elements, so ignoring an element or swapping the sides may align others differently: those
 * properties are stated for positional comparison, and the alignment has its own below.
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
        return UNCAPPED.withUnorderedArrays(unordered).withArrayAlignment(false);
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
        DiffOptions positional = UNCAPPED.withArrayAlignment(false);
        List<String> reported = new ResponseDiffer(positional).diffJson(a, b).differences().stream()
                .map(Difference::path).distinct().toList();

        DiffResult ignoringThem = new ResponseDiffer(positional.withIgnorePaths(reported)).diffJson(a, b);

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

    @Property(tries = 300)
    void theCapKeepsAPrefixOfTheFullResultWhenArraysAreAligned(
            @ForAll("trees") JsonNode a, @ForAll("trees") JsonNode b, @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5) int cap) {
        List<Difference> all = new ResponseDiffer(UNCAPPED).diffJson(a, b).differences();

        DiffResult capped = new ResponseDiffer(UNCAPPED.withMaxDifferences(cap)).diffJson(a, b);

        assertThat(capped.differences()).isEqualTo(all.subList(0, Math.min(cap, all.size())));
    }

    @Property(tries = 500)
    void oneElementInsertedAnywhereInAnAlignedArrayIsOneExtraAndRemovingItIsOneMissing(
            @ForAll("elements") List<JsonNode> elements, @ForAll("trees") JsonNode inserted,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 20) int at) {
        ArrayNode before = NODES.arrayNode().addAll(elements);
        ArrayNode after = before.deepCopy();
        after.insert(Math.min(at, elements.size()), inserted);
        ResponseDiffer differ = new ResponseDiffer(UNCAPPED.withMaxValueLength(100_000));

        List<Difference> added = differ.diffJson(before, after).differences();
        List<Difference> removed = differ.diffJson(after, before).differences();

        // the element reported is the inserted one, or one equal to it (the same value next to it)
        assertThat(added).hasSize(1);
        assertThat(added.getFirst().kind()).isEqualTo(DiffKind.EXTRA);
        assertThat(differ.diffJson(parse(added.getFirst().serviceValue().orElseThrow()), inserted).matches()).isTrue();
        assertThat(removed).hasSize(1);
        assertThat(removed.getFirst().kind()).isEqualTo(DiffKind.MISSING);
        assertThat(differ.diffJson(parse(removed.getFirst().monolithValue().orElseThrow()), inserted).matches()).isTrue();
    }

    @Property(tries = 300)
    void alignedArraysMatchExactlyWhenTheSwappedComparisonMatches(@ForAll("trees") JsonNode a, @ForAll("trees") JsonNode b) {
        ResponseDiffer differ = new ResponseDiffer(UNCAPPED);

        assertThat(differ.diffJson(a, b).matches()).isEqualTo(differ.diffJson(b, a).matches());
        assertThat(differ.diffJson(a, b).matches()).isEqualTo(new ResponseDiffer(options(false)).diffJson(a, b).matches());
    }

    private static JsonNode parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(json, e);
        }
    }

    @Provide
    Arbitrary<List<JsonNode>> elements() {
        return tree(2).list().ofMaxSize(12);
    }
}
