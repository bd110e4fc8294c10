package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeanRequestTest {
    @Test
    void aTypicalProxiedGetIsWrittenAsNettysEncoderWritesIt() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("User-Agent", "curl/8.5").add(AsciiString.cached("accept"), "*/*").add("X-Forwarded-For", "127.0.0.1")
                .add("X-Request-Id", "0123456789abcdef0123456789abcdef").add("Host", "127.0.0.1:8080");
        HttpRequest request = request(HttpMethod.GET, "/api/items/42?x=1", headers);

        assertThat(lean(request)).isEqualTo("GET /api/items/42?x=1 HTTP/1.1\r\nUser-Agent: curl/8.5\r\naccept: */*\r\n"
                + "X-Forwarded-For: 127.0.0.1\r\nX-Request-Id: 0123456789abcdef0123456789abcdef\r\nHost: 127.0.0.1:8080\r\n\r\n");
        assertThat(lean(request)).isEqualTo(netty(request));
    }

    @Test
    void onlyAHeadRequestIsTakenToHaveNoResponseBody() {
        assertThat(new LeanRequest(HttpMethod.HEAD, "/", sink -> {}).isHead()).isTrue();
        assertThat(new LeanRequest(HttpMethod.GET, "/", sink -> {}).isHead()).isFalse();
    }

    @Property(tries = 500)
    void everyHeadIsWrittenByteForByteAsNettysEncoderWritesIt(@ForAll("methods") String method, @ForAll("targets") String target,
                                                             @ForAll("headers") List<Tuple.Tuple2<String, String>> fields) {
        HttpHeaders headers = new DefaultHttpHeaders(false);
        for (Tuple.Tuple2<String, String> field : fields) headers.add(field.get1(), field.get2());
        HttpRequest request = request(HttpMethod.valueOf(method), target, headers);

        assertThat(lean(request)).isEqualTo(netty(request));
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "HEAD", "DELETE", "OPTIONS", "PURGE");
    }

    /** Origin-form targets, with the odd characters a path or query may carry once decoded: Latin-1, beyond it, none at all. */
    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> path = Arbitraries.strings().withChars("/abc-._~%?=&é€").ofMaxLength(40).map(s -> "/" + s);
        return Arbitraries.oneOf(path, Arbitraries.just(""), Arbitraries.just("/"));
    }

    /** Names and values as a decoder hands them over: tokens; values with spaces, tabs, obs-text and characters past U+00FF. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> headers() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ-_0123456789!#$%&'*+.^`|~").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> values = Arbitraries.strings().withChars("abc XYZ0123\t,;=\"/é\u00ff\u0100€").ofMaxLength(60);
        return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(25);
    }

    private static HttpRequest request(HttpMethod method, String target, HttpHeaders headers) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    }

    private static String lean(HttpRequest request) {
        String heap = lean(request, false);
        assertThat(lean(request, true)).as("the same bytes in a direct buffer").isEqualTo(heap);
        return heap;
    }

    private static String lean(HttpRequest request, boolean direct) {
        LeanRequest lean = new LeanRequest(request.method(), request.uri(), sink -> {
            for (var it = request.headers().iteratorCharSequence(); it.hasNext(); ) {
                var header = it.next();
                sink.add(header.getKey(), header.getValue());
            }
        });
        ByteBuf bytes = lean.encode(ByteBufAllocator.DEFAULT, direct);
        try {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        } finally {
            bytes.release();
        }
    }

    private static String netty(HttpRequest request) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder());
        channel.writeOutbound(new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(), Unpooled.EMPTY_BUFFER,
                request.headers(), EmptyHttpHeaders.INSTANCE));
        StringBuilder written = new StringBuilder();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            written.append(part.toString(StandardCharsets.ISO_8859_1));
            part.release();
        }
        channel.finishAndReleaseAll();
        return written.toString();
    }
}
