package dev.strangler.core.diff;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.strangler.core.diff.DiffKind.BODY;
import static dev.strangler.core.diff.DiffKind.EXTRA;
import static dev.strangler.core.diff.DiffKind.HEADER;
import static dev.strangler.core.diff.DiffKind.MISSING;
import static dev.strangler.core.diff.DiffKind.STATUS;
import static dev.strangler.core.diff.DiffKind.TYPE;
import static dev.strangler.core.diff.DiffKind.VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ResponseDifferTest {
    private static final ResponseDiffer DEFAULT = new ResponseDiffer(DiffOptions.DEFAULTS);

    private static CapturedResponse json(String body) {
        return CapturedResponse.of(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static DiffResult diffJson(DiffOptions options, String monolith, String service) {
        return new ResponseDiffer(options).diff(json(monolith), json(service));
    }

    private static DiffResult diffJson(String monolith, String service) {
        return diffJson(DiffOptions.DEFAULTS, monolith, service);
    }

    @Test
    void identicalResponsesMatch() {
        DiffResult result = diffJson("{\"a\":[1,2,{\"b\":null}]}", "{\"a\":[1,2,{\"b\":null}]}");

        assertThat(result.matches()).isTrue();
        assertThat(result.truncated()).isFalse();
        assertThat(result.differences()).isEmpty();
    }

    @Test
    void aMemberOnlyTheMonolithSentIsMissing() {
        DiffResult result = diffJson("{\"id\":1,\"title\":\"hello\"}", "{\"id\":1}");

        assertThat(result.differences()).containsExactly(
                new Difference("$.title", MISSING, Optional.of("\"hello\""), Optional.empty()));
    }

    @Test
    void aMemberOnlyTheServiceSentIsExtra() {
        DiffResult result = diffJson("{\"id\":1}", "{\"id\":1,\"tags\":[\"x\"]}");

        assertThat(result.differences()).containsExactly(
                new Difference("$.tags", EXTRA, Optional.empty(), Optional.of("[\"x\"]")));
    }

    @Test
    void differentJsonTypesAtTheSamePathAreATypeDifference() {
        DiffResult result = diffJson("{\"id\":1}", "{\"id\":\"1\"}");

        assertThat(result.differences()).containsExactly(
                new Difference("$.id", TYPE, Optional.of("1"), Optional.of("\"1\"")));
    }

    @Test
    void theSameTypeWithAnotherValueIsAValueDifference() {
        DiffResult result = diffJson("{\"items\":[{\"price\":1},{\"price\":2},{\"price\":3},{\"price\":4}]}",
                "{\"items\":[{\"price\":1},{\"price\":2},{\"price\":3},{\"price\":5}]}");

        assertThat(result.differences()).containsExactly(
                new Difference("$.items[3].price", VALUE, Optional.of("4"), Optional.of("5")));
    }

    @Test
    void arrayElementsPastTheOtherSidesLengthAreMissingOrExtra() {
        assertThat(diffJson("[1,2,3]", "[1]").differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("$[1]", MISSING), tuple("$[2]", MISSING));
        assertThat(diffJson("[1]", "[1,2]").differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("$[1]", EXTRA));
    }

    @Test
    void differencesFollowTheMonolithsDocumentOrderWithEachObjectsExtrasAfterIt() {
        DiffResult result = diffJson("{\"b\":1,\"a\":{\"x\":1,\"y\":2},\"c\":3}", "{\"z\":0,\"c\":4,\"a\":{\"w\":1,\"y\":3},\"b\":2}");

        assertThat(result.differences()).extracting(Difference::path, Difference::kind).containsExactly(
                tuple("$.b", VALUE), tuple("$.a.x", MISSING), tuple("$.a.y", VALUE), tuple("$.a.w", EXTRA),
                tuple("$.c", VALUE), tuple("$.z", EXTRA));
    }

    @Test
    void aDifferentStatusIsReportedFirst() {
        CapturedResponse ok = json("{}");
        CapturedResponse error = CapturedResponse.of(500, "application/json", "{\"e\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(DEFAULT.diff(ok, error).differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("status", STATUS), tuple("$.e", EXTRA));
        assertThat(DEFAULT.diff(ok, error).differences().getFirst().serviceValue()).contains("500");
    }

    @Test
    void contentTypeIsComparedByMediaTypeWithoutParameters() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        CapturedResponse plain = CapturedResponse.of(200, "application/json", body);
        CapturedResponse withCharset = CapturedResponse.of(200, "Application/JSON; charset=utf-8", body);
        CapturedResponse problem = CapturedResponse.of(200, "application/problem+json", body);

        assertThat(DEFAULT.diff(plain, withCharset).matches()).isTrue();
        assertThat(DEFAULT.diff(plain, problem).differences()).containsExactly(new Difference(
                "header:Content-Type", HEADER, Optional.of("application/json"), Optional.of("application/problem+json")));
    }

    @Test
    void onlyTheComparedHeadersAreComparedAndTheirNamesAreCaseInsensitive() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        CapturedResponse monolith = CapturedResponse.of(200, Map.of("content-type", List.of("application/json"),
                "Cache-Control", List.of("no-cache"), "Date", List.of("Mon")), body);
        CapturedResponse service = CapturedResponse.of(200, Map.of("CONTENT-TYPE", List.of("application/json"),
                "Date", List.of("Tue")), body);
        ResponseDiffer differ = new ResponseDiffer(DiffOptions.DEFAULTS.withComparedHeaders("Content-Type", "cache-control"));

        assertThat(DEFAULT.diff(monolith, service).matches()).isTrue();
        assertThat(differ.diff(monolith, service).differences()).containsExactly(
                new Difference("header:cache-control", HEADER, Optional.of("no-cache"), Optional.empty()));
    }

    @Test
    void ignoredPathsAtAnyDepthAreNotCompared() {
        DiffOptions options = DiffOptions.DEFAULTS.withIgnorePaths("$..updatedAt");

        DiffResult result = diffJson(options,
                "{\"updatedAt\":1,\"items\":[{\"id\":1,\"updatedAt\":\"a\"},{\"id\":2,\"meta\":{\"updatedAt\":3}}]}",
                "{\"updatedAt\":2,\"items\":[{\"id\":1,\"updatedAt\":\"b\"},{\"id\":3,\"meta\":{}}]}");

        assertThat(result.differences()).extracting(Difference::path).containsExactly("$.items[1].id");
    }

    @Test
    void wildcardsIgnoreEveryMemberOrElementAtTheirLevel() {
        DiffOptions options = DiffOptions.DEFAULTS.withIgnorePaths("$.items[*].updatedAt", "$.meta.*");

        DiffResult result = diffJson(options,
                "{\"meta\":{\"took\":3,\"node\":\"a\"},\"items\":[{\"updatedAt\":1,\"n\":{\"updatedAt\":1}}]}",
                "{\"meta\":{\"took\":5,\"shard\":2},\"items\":[{\"updatedAt\":2,\"n\":{\"updatedAt\":2}}]}");

        assertThat(result.differences()).extracting(Difference::path).containsExactly("$.items[0].n.updatedAt");
    }

    @Test
    void anIndexInAnIgnorePathIgnoresOnlyThatElement() {
        DiffOptions options = DiffOptions.DEFAULTS.withIgnorePaths("$.items[1]");

        DiffResult result = diffJson(options, "{\"items\":[1,2,3]}", "{\"items\":[9,8]}");

        assertThat(result.differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("$.items[0]", VALUE), tuple("$.items[2]", MISSING));
    }

    @Test
    void ignoringTheRootIgnoresTheWholeBody() {
        assertThat(diffJson(DiffOptions.DEFAULTS.withIgnorePaths("$"), "{\"a\":1}", "[2]").matches()).isTrue();
    }

    @Test
    void numbersCompareByValueSoOneEqualsOnePointZero() {
        assertThat(diffJson("{\"n\":1,\"m\":[1e2,0.5]}", "{\"n\":1.0,\"m\":[100,0.50]}").matches()).isTrue();
        assertThat(diffJson("{\"n\":100000000000000000000}", "{\"n\":1e20}").matches()).isTrue();
        assertThat(diffJson("{\"n\":12345678901234567890}", "{\"n\":12345678901234567891}").matches()).isFalse();
    }

    @Test
    void numbersWithinTheAbsoluteToleranceMatch() {
        DiffOptions options = DiffOptions.DEFAULTS.withAbsoluteTolerance(0.01);

        assertThat(diffJson(options, "{\"price\":9.99}", "{\"price\":9.995}").matches()).isTrue();
        assertThat(diffJson(options, "{\"price\":9.99}", "{\"price\":10.01}").differences())
                .extracting(Difference::path, Difference::kind).containsExactly(tuple("$.price", VALUE));
    }

    @Test
    void numbersWithinTheRelativeToleranceMatch() {
        DiffOptions options = DiffOptions.DEFAULTS.withRelativeTolerance(0.001);

        assertThat(diffJson(options, "[1000000]", "[1000900]").matches()).isTrue();
        assertThat(diffJson(options, "[1000000]", "[1001100]").matches()).isFalse();
        assertThat(diffJson(options, "[0.001]", "[0.002]").matches()).isFalse();
    }

    @Test
    void unorderedArraysMatchTheSameElementsInAnotherOrder() {
        DiffOptions options = DiffOptions.DEFAULTS.withUnorderedArrays(true);

        assertThat(diffJson(options, "[3,1,{\"a\":[1,2]},1]", "[1,{\"a\":[2,1]},1,3.0]").matches()).isTrue();
        assertThat(diffJson("[3,1,2]", "[1,2,3]").matches()).isFalse();
    }

    @Test
    void unorderedArraysReportADifferentMultiplicity() {
        DiffOptions options = DiffOptions.DEFAULTS.withUnorderedArrays(true);

        DiffResult result = diffJson(options, "[1,2,1,2]", "[2,1,1,3]");

        assertThat(result.differences()).containsExactly(
                new Difference("$[3]", MISSING, Optional.of("2"), Optional.empty()),
                new Difference("$[3]", EXTRA, Optional.empty(), Optional.of("3")));
    }

    @Test
    void onlyTheListedArraysAreUnordered() {
        DiffOptions options = DiffOptions.DEFAULTS.withUnorderedArrayPaths("$.tags", "$.items[*].roles");

        assertThat(diffJson(options, "{\"tags\":[\"a\",\"b\"],\"items\":[{\"roles\":[1,2]}]}",
                "{\"tags\":[\"b\",\"a\"],\"items\":[{\"roles\":[2,1]}]}").matches()).isTrue();
        assertThat(diffJson(options, "{\"ids\":[1,2]}", "{\"ids\":[2,1]}").differences())
                .extracting(Difference::path).containsExactly("$.ids[0]", "$.ids[1]");
    }

    @Test
    void wildcardIgnorePathsReachIntoUnorderedArrays() {
        DiffOptions options = DiffOptions.DEFAULTS.withUnorderedArrays(true).withIgnorePaths("$.items[*].updatedAt");

        assertThat(diffJson(options, "{\"items\":[{\"id\":1,\"updatedAt\":1},{\"id\":2,\"updatedAt\":2}]}",
                "{\"items\":[{\"id\":2,\"updatedAt\":7},{\"id\":1,\"updatedAt\":8}]}").matches()).isTrue();
    }

    @Test
    void namesThatAreNotPlainIdentifiersAreQuoted() {
        DiffResult result = diffJson("{\"a.b\":1,\"it's\":1,\"\":1,\"x y\":[{\"ok_1\":1}],\"9\":1}",
                "{\"a.b\":2,\"it's\":2,\"\":2,\"x y\":[{\"ok_1\":2}],\"9\":2}");

        assertThat(result.differences()).extracting(Difference::path)
                .containsExactly("$['a.b']", "$['it\\'s']", "$['']", "$['x y'][0].ok_1", "$['9']");
    }

    @Test
    void aQuotedIgnorePathIgnoresTheMemberItNames() {
        DiffOptions options = DiffOptions.DEFAULTS.withIgnorePaths("$['a.b']", "$[\"it's\"]");

        assertThat(diffJson(options, "{\"a.b\":1,\"it's\":1}", "{\"a.b\":2,\"it's\":2}").matches()).isTrue();
    }

    @Test
    void theNumberOfReportedDifferencesIsCappedAndTheResultSaysSo() {
        String monolith = "[" + "0,".repeat(149) + "0]";
        String service = "[" + "1,".repeat(149) + "1]";

        DiffResult byDefault = diffJson(monolith, service);
        DiffResult capped = diffJson(DiffOptions.DEFAULTS.withMaxDifferences(3), monolith, service);
        DiffResult exactlyAtTheCap = diffJson(DiffOptions.DEFAULTS.withMaxDifferences(3), "[0,0,0]", "[1,1,1]");

        assertThat(byDefault.differences()).hasSize(100);
        assertThat(byDefault.truncated()).isTrue();
        assertThat(capped.differences()).extracting(Difference::path).containsExactly("$[0]", "$[1]", "$[2]");
        assertThat(capped.truncated()).isTrue();
        assertThat(exactlyAtTheCap.differences()).hasSize(3);
        assertThat(exactlyAtTheCap.truncated()).isFalse();
    }

    @Test
    void longValuesAreCutToTheConfiguredLength() {
        DiffOptions options = DiffOptions.DEFAULTS.withMaxValueLength(10);

        Difference difference = diffJson(options, "{\"s\":\"" + "a".repeat(50) + "\"}", "{\"s\":\"b\"}").differences().getFirst();

        assertThat(difference.monolithValue()).contains("\"aaaaaaaaa…");
        assertThat(difference.serviceValue()).contains("\"b\"");
    }

    @Test
    void aJsonBodyWithoutContentTypeIsComparedAsJson() {
        CapturedResponse monolith = CapturedResponse.of(200, Map.of(), "{\"a\":1, \"b\":2}".getBytes(StandardCharsets.UTF_8));
        CapturedResponse service = CapturedResponse.of(200, Map.of(), "{\"b\":2,\"a\":1.0}".getBytes(StandardCharsets.UTF_8));
        CapturedResponse changed = CapturedResponse.of(200, Map.of(), "{\"b\":3,\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(DEFAULT.diff(monolith, service).matches()).isTrue();
        assertThat(DEFAULT.diff(monolith, changed).differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("$.b", VALUE));
    }

    @Test
    void textBodiesReportTheFirstDifferingCharacter() {
        CapturedResponse monolith = CapturedResponse.of(200, "text/html; charset=utf-8", "<p>héllo world</p>".getBytes(StandardCharsets.UTF_8));
        CapturedResponse service = CapturedResponse.of(200, "text/html", "<p>héllo there</p>".getBytes(StandardCharsets.UTF_8));

        assertThat(DEFAULT.diff(monolith, service).differences()).containsExactly(
                new Difference("body@9", BODY, Optional.of("world</p>"), Optional.of("there</p>")));
        assertThat(DEFAULT.diff(monolith, monolith).matches()).isTrue();
    }

    @Test
    void malformedJsonIsComparedAsText() {
        DiffResult result = DEFAULT.diff(json("{\"a\":1"), json("{\"a\":2"));

        assertThat(result.differences()).containsExactly(
                new Difference("body@5", BODY, Optional.of("1"), Optional.of("2")));
    }

    @Test
    void binaryBodiesReportTheFirstDifferingByte() {
        CapturedResponse monolith = CapturedResponse.of(200, "image/png", new byte[]{1, 2, 3, (byte) 0xff});
        CapturedResponse service = CapturedResponse.of(200, "image/png", new byte[]{1, 2, 4});

        assertThat(DEFAULT.diff(monolith, service).differences()).containsExactly(
                new Difference("body@2", BODY, Optional.of("03ff"), Optional.of("04")));
    }

    @Test
    void bodiesLargerThanTheParseLimitAreComparedAsText() {
        DiffOptions options = DiffOptions.DEFAULTS.withMaxBodyBytes(8);

        DiffResult result = diffJson(options, "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}");

        assertThat(result.differences()).extracting(Difference::path, Difference::kind).containsExactly(tuple("body@2", BODY));
    }

    @Test
    void anEmptyBodyAgainstAJsonBodyIsABodyDifference() {
        DiffResult result = DEFAULT.diff(json(""), json("{}"));

        assertThat(result.differences()).extracting(Difference::path, Difference::kind).containsExactly(tuple("body@0", BODY));
    }
}
