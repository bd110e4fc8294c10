package dev.strangler.core.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRulesTest {
    private static RequestHead get(String target, String... headerPairs) {
        return head(Protocol.HTTP_1_1, target, headerPairs);
    }

    private static RequestHead head(Protocol protocol, String target, String... headerPairs) {
        return request("GET", protocol, target, headerPairs);
    }

    private static RequestHead request(String method, Protocol protocol, String target, String... headerPairs) {
        List<HeaderField> headers = new ArrayList<>();
        for (int i = 0; i < headerPairs.length; i += 2) headers.add(new HeaderField(headerPairs[i], headerPairs[i + 1]));
        return new RequestHead(method, protocol, target, headers, Optional.empty());
    }

    private static RequestCheck.Accepted accepted(RequestHead head) {
        RequestCheck check = RequestRules.check(head);
        assertThat(check).as("%s", head).isInstanceOf(RequestCheck.Accepted.class);
        return (RequestCheck.Accepted) check;
    }

    private static Rejection rejected(RequestHead head) {
        RequestCheck check = RequestRules.check(head);
        assertThat(check).as("%s", head).isInstanceOf(Rejection.class);
        return (Rejection) check;
    }

    @ParameterizedTest
    @CsvSource({
            "/api/%70osts/1, /api/posts/1",
            "/api/%7Eme/%41%2d%5F, /api/~me/A-_",
            "/a/%c3%a9, /a/%C3%A9",
            "/a//b///c/, /a/b/c/",
            "/files/report.v2.pdf, /files/report.v2.pdf",
            "/a/%2e%2e%2e, /a/...",
            "/a/x;v=1, /a/x;v=1",
    })
    void aPathIsMatchedAndForwardedInItsNormalForm(String raw, String normal) {
        assertThat(accepted(get(raw, "Host", "a")).target().path()).isEqualTo(normal);
    }

    @Test
    void theQueryIsPassedOnAsItWas() {
        RequestTarget t = accepted(get("/a/%70?q=%2f%2e%2e&x=%00", "Host", "a")).target();
        assertThat(t.pathAndQuery()).isEqualTo("/a/p?q=%2f%2e%2e&x=%00");
    }

    @ParameterizedTest
    @CsvSource({
            "/api/posts/..%2fsecret/key.txt, ENCODED_SEPARATOR",
            "/api/posts%2f1, ENCODED_SEPARATOR",
            "/api%2Fposts/1, ENCODED_SEPARATOR",
            "/api/posts/..%5csecret, ENCODED_SEPARATOR",
            "/api\\posts, ENCODED_SEPARATOR",
            "/api/posts/%2e%2e/secret, DOT_SEGMENT",
            "/api/posts/../secret, DOT_SEGMENT",
            "/api/posts/.%2E;x/secret, DOT_SEGMENT",
            "/nul%00x, BAD_PATH",
            "/bad%zz, BAD_PATH",
            "/bad%4, BAD_PATH",
            "/frag#x, FRAGMENT",
            "/a?b#c, FRAGMENT",
            "api/posts, BAD_TARGET",
            "*, BAD_TARGET",
            "example.com:443, BAD_TARGET",
    })
    void aPathThatCouldBeReadTwoWaysIsRefusedWith400(String raw, Rejection.Code code) {
        Rejection r = rejected(get(raw, "Host", "a"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(code);
    }

    @Test
    void controlBytesAndSpacesInThePathOrQueryAreRefused() {
        for (String raw : List.of("/ctl\u0001x", "/a b", "/tab\tx", "/del\u007f", "/q?a=\u0000", "/q?a b"))
            assertThat(rejected(get(raw, "Host", "a")).status()).as(raw).isEqualTo(400);
    }

    @Test
    void utf8BytesArePassedOnAsTheTextTheySpellAndOtherHighBytesAreRefused() {
        // The HTTP layer hands bytes over one char each: "caf\u00c3\u00a9" is the bytes c3 a9 of "é".
        assertThat(accepted(get("/caf\u00c3\u00a9?q=%C3%A9", "Host", "a")).target().pathAndQuery()).isEqualTo("/café?q=%C3%A9");
        assertThat(rejected(get("/a?q=\u00c3\u00a9", "Host", "a")).code()).isEqualTo(Rejection.Code.BAD_TARGET);
        assertThat(rejected(get("/caf\u00e9", "Host", "a")).code()).isEqualTo(Rejection.Code.NOT_UTF8);
    }

    @Test
    void anAbsoluteFormTargetsAuthorityDecidesTheHostAndItsPathIsNormalised() {
        var a = accepted(get("http://Other.Example:8080/api/%70osts?x=1", "Host", "a"));
        assertThat(a.authority()).isEqualTo("Other.Example:8080");
        assertThat(a.hostWithoutPort()).isEqualTo("other.example");
        assertThat(a.target().pathAndQuery()).isEqualTo("/api/posts?x=1");
        assertThat(accepted(get("HTTPS://b.example", "Host", "a")).target().path()).isEqualTo("/");
        assertThat(rejected(get("http://user@b.example/", "Host", "a")).code()).isEqualTo(Rejection.Code.BAD_TARGET);
        assertThat(rejected(get("ftp://b.example/", "Host", "a")).code()).isEqualTo(Rejection.Code.BAD_TARGET);
    }

    @Test
    void http11NeedsExactlyOneValidHost() {
        assertThat(rejected(get("/")).code()).isEqualTo(Rejection.Code.MISSING_HOST);
        assertThat(rejected(get("/", "Host", "a", "host", "b")).code()).isEqualTo(Rejection.Code.DUPLICATE_HOST);
        for (String bad : List.of("", "a b", "a:99999", "a:x", "a:", ":80", "a/b", "a@b", "[::1", "[zz]", "a%2eb"))
            assertThat(rejected(get("/", "Host", bad)).code()).as("Host: [%s]", bad).isEqualTo(Rejection.Code.BAD_HOST);
        for (String good : List.of("a", "A.example.com:8080", "127.0.0.1:1", "[::1]:443", "[::1]", "my_host"))
            assertThat(accepted(get("/", "Host", good)).authority()).isEqualTo(good);
        assertThat(accepted(get("/", "Host", "API.example.com:8080")).hostWithoutPort()).isEqualTo("api.example.com");
    }

    @Test
    void http10MayOmitHostButNotSendABadOne() {
        assertThat(accepted(head(Protocol.HTTP_1_0, "/")).authority()).isEmpty();
        assertThat(rejected(head(Protocol.HTTP_1_0, "/", "Host", "a b")).code()).isEqualTo(Rejection.Code.BAD_HOST);
    }

    @Test
    void http2TakesItsAuthorityFromThePseudoHeader() {
        var h2 = new RequestHead("GET", Protocol.HTTP_2, "/x", List.of(), Optional.of("svc.example:443"));
        assertThat(((RequestCheck.Accepted) RequestRules.check(h2)).hostWithoutPort()).isEqualTo("svc.example");
        var none = new RequestHead("GET", Protocol.HTTP_2, "/x", List.of(), Optional.empty());
        assertThat(rejected(none).code()).isEqualTo(Rejection.Code.MISSING_HOST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " x", "x y", "x:y", ":path", "x\u00e9"})
    void aHeaderNameThatIsNotATokenIsRefused(String name) {
        assertThat(rejected(get("/", "Host", "a", name, "v")).code()).isEqualTo(Rejection.Code.BAD_HEADER_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "a\u007fb"})
    void aHeaderValueWithCrLfNulOrAnotherControlByteIsRefused(String value) {
        assertThat(rejected(get("/", "Host", "a", "X-A", value)).code()).isEqualTo(Rejection.Code.BAD_HEADER_VALUE);
        assertThat(accepted(get("/", "Host", "a", "X-A", "tab\tand \u00e9 ok")).authority()).isEqualTo("a");
    }

    @Test
    void onlyExactlyChunkedIsATransferCodingAndItExcludesContentLength() {
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of("chunked"), List.of())).isEmpty();
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of(" Chunked "), List.of())).isEmpty();
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of(), List.of("42"))).isEmpty();
        for (String coding : List.of("chunked, identity", "xchunked", "gzip", "gzip, chunked", "identity", ""))
            assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of(coding), List.of())).as(coding)
                    .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(501));
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of("chunked"), List.of("4")).orElseThrow().code())
                .isEqualTo(Rejection.Code.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of("chunked", "chunked"), List.of()).orElseThrow().code())
                .isEqualTo(Rejection.Code.DUPLICATE_TRANSFER_ENCODING);
        assertThat(RequestRules.framing(Protocol.HTTP_1_0, List.of("chunked"), List.of()).orElseThrow().code())
                .isEqualTo(Rejection.Code.TRANSFER_ENCODING_IN_HTTP_1_0);
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of(), List.of("2", "2")).orElseThrow().code())
                .isEqualTo(Rejection.Code.DUPLICATE_CONTENT_LENGTH);
        for (String length : List.of("+2", "-1", "2, 2", "0x10", "", "1234567890123456789"))
            assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of(), List.of(length)).orElseThrow().code()).as(length)
                    .isEqualTo(Rejection.Code.BAD_CONTENT_LENGTH);
    }

    @Test
    void aLengthOfZeroInAnyNumberOfDigitsAnnouncesNoBodyAndTransferEncodingAlwaysDoes() {
        for (String zero : List.of("0", "00", "000", " 0", "00\t", "000000000000000000"))
            assertThat(RequestRules.announcesContent(false, Optional.of(zero))).as("Content-Length: %s", zero).isFalse();
        for (String body : List.of("1", "01", "10", "007", "+0", "-0", "0x0", "0, 0", "0 0", "", " ", "\u0660", "\uff10"))
            assertThat(RequestRules.announcesContent(false, Optional.of(body))).as("Content-Length: \"%s\"", body).isTrue();
        assertThat(RequestRules.announcesContent(false, Optional.empty())).isFalse();
        assertThat(RequestRules.announcesContent(true, Optional.empty())).as("chunked, even if it turns out empty").isTrue();
        assertThat(RequestRules.announcesContent(true, Optional.of("0"))).isTrue();
    }

    @Test
    void everyConnectionLineIsCountedSoTheGatewayCanReadThemAsOneList() {
        assertThat(accepted(get("/a", "Host", "a")).connectionLines()).isZero();
        assertThat(accepted(get("/a", "Host", "a", "Connection", "keep-alive")).connectionLines()).isOne();
        assertThat(accepted(get("/a", "Connection", "keep-alive", "Host", "a", "connection", "X-Secret", "CONNECTION", "close"))
                .connectionLines()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP_1_1", "HTTP_2"})
    void traceIsRefusedWith405WhateverItCarries(Protocol protocol) {
        Rejection r = rejected(request("TRACE", protocol, "/a", "Host", "a", "Max-Forwards", "3", "Cookie", "s=1"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.code()).isEqualTo(Rejection.Code.METHOD_NOT_ALLOWED);
    }

    @Test
    void methodsAreCaseSensitiveSoALowerCaseTraceIsAnotherMethod() {
        accepted(request("trace", Protocol.HTTP_1_1, "/a", "Host", "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "+1", "1, 2", "", " ", "1.0", "0x1", "1234567890123456789"})
    void anOptionsMaxForwardsThatIsNotANumberIsRefused(String value) {
        Rejection r = rejected(request("OPTIONS", Protocol.HTTP_1_1, "/a", "Host", "a", "Max-Forwards", value));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(Rejection.Code.BAD_MAX_FORWARDS);
    }

    @Test
    void anOptionsRequestWithTwoMaxForwardsLinesIsRefusedEvenWithEqualValues() {
        assertThat(rejected(request("OPTIONS", Protocol.HTTP_1_1, "/a", "Host", "a", "Max-Forwards", "1", "max-forwards", "1")).code())
                .isEqualTo(Rejection.Code.BAD_MAX_FORWARDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "7", " 12 ", "00", "123456789012345678"})
    void anOptionsMaxForwardsOfDigitsIsAcceptedAndReadAsItsNumber(String value) {
        accepted(request("OPTIONS", Protocol.HTTP_1_1, "/a", "Host", "a", "Max-Forwards", value));
        assertThat(RequestRules.maxForwards(value)).isEqualTo(Long.parseLong(value.trim()));
    }

    @Test
    void maxForwardsOnAnotherMethodIsNotReadByTheRules() {
        accepted(request("GET", Protocol.HTTP_1_1, "/a", "Host", "a", "Max-Forwards", "abc", "Max-Forwards", "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP_1_1", "HTTP_2"})
    void optionsWithTheAsteriskFormIsAcceptedAsARequestAboutTheServerInGeneral(Protocol protocol) {
        RequestCheck.Accepted a = accepted(request("OPTIONS", protocol, "*", "Host", "a"));
        assertThat(a.target().isAsteriskForm()).isTrue();
        assertThat(a.target().path()).isEqualTo("*");
        assertThat(a.authority()).isEqualTo("a");
        assertThat(accepted(request("OPTIONS", protocol, "/", "Host", "a")).target().isAsteriskForm()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE", "options"})
    void theAsteriskFormWithAnotherMethodIsRefused(String method) {
        Rejection r = rejected(request(method, Protocol.HTTP_1_1, "*", "Host", "a"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(Rejection.Code.BAD_TARGET);
        assertThat(r.detail()).contains("only for OPTIONS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/a", "*?x", "**", "/*"})
    void onlyALoneAsteriskIsTheAsteriskForm(String target) {
        RequestCheck check = RequestRules.check(request("OPTIONS", Protocol.HTTP_1_1, target, "Host", "a"));
        if (check instanceof RequestCheck.Accepted a) assertThat(a.target().isAsteriskForm()).as(target).isFalse();
    }

    @Test
    void theAsteriskFormStillNeedsAHostOverHttp11() {
        assertThat(rejected(request("OPTIONS", Protocol.HTTP_1_1, "*")).code()).isEqualTo(Rejection.Code.MISSING_HOST);
        accepted(request("OPTIONS", Protocol.HTTP_1_0, "*"));
    }
}
