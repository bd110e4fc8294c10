package dev.strangler.core.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogLineTest {

    @Test
    void readsTheCombinedFormat() {
        AccessLogLine line = AccessLogLine.parse("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
                + "\"GET /apache_pb.gif?x=1 HTTP/1.0\" 200 2326 \"http://ref\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"").orElseThrow();
        assertThat(line).isEqualTo(new AccessLogLine("127.0.0.1", "GET", "/apache_pb.gif", 200, 2326,
                Instant.parse("2000-10-10T20:55:36Z"), Optional.empty()));
    }

    @Test
    void readsTheCommonFormatWithDashesForUnknownFields() {
        AccessLogLine line = AccessLogLine.parse(
                "10.1.2.3 - - [25/Nov/2026:09:00:01 +0000] \"DELETE /api/posts/42 HTTP/1.1\" 204 -").orElseThrow();
        assertThat(line.method()).isEqualTo("DELETE");
        assertThat(line.path()).isEqualTo("/api/posts/42");
        assertThat(line.status()).isEqualTo(204);
        assertThat(line.bytes()).isZero();
        assertThat(line.time()).isEqualTo(Instant.parse("2026-11-25T09:00:01Z"));
    }

    @Test
    void readsIpv6ClientsEscapedQuotesAndAbsoluteFormTargets() {
        AccessLogLine line = AccessLogLine.parse("2001:db8::1 - - [01/Feb/2024:00:00:00 +0100] "
                + "\"POST http://shop.example.com/api/orders?src=app HTTP/2.0\" 201 512 \"-\" "
                + "\"curl/8.5 \\\"quoted\\\" agent\"").orElseThrow();
        assertThat(line.client()).isEqualTo("2001:db8::1");
        assertThat(line.method()).isEqualTo("POST");
        assertThat(line.path()).isEqualTo("/api/orders");
        assertThat(line.time()).isEqualTo(Instant.parse("2024-01-31T23:00:00Z"));
    }

    @Test
    void readsATrailingRequestTimeInSecondsOrMicroseconds() {
        String base = "1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"ua\"";
        assertThat(AccessLogLine.parse(base + " 0.125").orElseThrow().duration()).contains(Duration.ofMillis(125));
        assertThat(AccessLogLine.parse(base + " 2500").orElseThrow().duration()).contains(Duration.ofNanos(2_500_000));
        assertThat(AccessLogLine.parse(base).orElseThrow().duration()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "garbage",
            "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"-\" 400 0",
            "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"\\x16\\x03\\x01\\x02\\x00\\x01\" 400 166 \"-\" \"-\"",
            "127.0.0.1 - - [99/Foo/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1",
            "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 2000 1",
            "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200",
            "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET relative HTTP/1.0\" 200 1",
            "{\"json\": \"log line\", \"status\": 200}"})
    void malformedLinesAreEmpty(String line) {
        assertThat(AccessLogLine.parse(line)).isEmpty();
    }

    @Test
    void aParsedLogFeedsTheCatalog() {
        Catalog catalog = new Catalog();
        String[] lines = {
                "10.0.0.1 - - [25/Nov/2026:09:00:00 +0000] \"GET /api/posts/1 HTTP/1.1\" 200 900 \"-\" \"ua\" 0.010",
                "10.0.0.2 - - [25/Nov/2026:09:00:01 +0000] \"GET /api/posts/2 HTTP/1.1\" 200 800 \"-\" \"ua\" 0.030",
                "junk"};
        int malformed = 0;
        for (String l : lines) {
            Optional<AccessLogLine> parsed = AccessLogLine.parse(l);
            if (parsed.isEmpty()) {
                malformed++;
                continue;
            }
            AccessLogLine a = parsed.get();
            catalog.record(a.method(), a.path(), a.status(), a.duration().orElse(Duration.ZERO).toNanos(), 0, a.bytes(),
                    Optional.empty(), Optional.empty(), a.time());
        }
        assertThat(malformed).isEqualTo(1);
        assertThat(catalog.snapshot()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo(new EndpointKey("GET", "/api/posts/{postId}"));
            assertThat(e.responseBytes()).isEqualTo(1700);
            assertThat(e.latency().quantileMillis(1.0)).isBetween(29.7, 30.3);
        });
    }
}
