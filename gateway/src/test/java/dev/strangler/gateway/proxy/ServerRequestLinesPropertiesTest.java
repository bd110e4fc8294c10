package dev.strangler.gateway.proxy;

import dev.strangler.core.http.HeaderField;
import dev.strangler.core.http.HeaderLines;
import dev.strangler.core.http.Protocol;
import dev.strangler.core.http.RequestHead;
import dev.strangler.core.http.RequestRules;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.impl.headers.Http2HeadersAdaptor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header lines the gateway judges ({@link ServerRequestFacts#lines}, read in place from Vert.x's
 * map) are the lines the list form read before: every line, in order, duplicates and case kept,
 * char for char; for each kind of map a request can carry (HTTP/1.x's Netty-backed map, HTTP/2's
 * adaptor, the other adaptors).
 */
class ServerRequestLinesPropertiesTest {
    private static final List<String> NAMES = List.of("Host", "host", "HOST", "Transfer-Encoding", "transfer-encoding",
            "Content-Length", "CONTENT-LENGTH", "X-Request-Id", "x-request-id", "Cookie", "x", "!#$%&'*+-.^_`|~");
    private static final List<String> VALUE_PIECES = List.of("", "chunked", "Chunked", " ", "\t", ",", "5", "0012", "a b",
            "example.com:8080", "\u0080", "\u00a0", "\u00e9", "\u00ff", "=", ";", "\"q\"");

    @Provide
    Arbitrary<List<HeaderField>> fields() {
        Arbitrary<String> value = Arbitraries.of(VALUE_PIECES).list().ofMaxSize(4).map(pieces -> String.join("", pieces));
        return Combinators.combine(Arbitraries.of(NAMES), value).as(HeaderField::new).list().ofMaxSize(12);
    }

    @Property(tries = 2000)
    void linesReadInPlaceFromEveryKindOfVertxMapEqualTheListForm(@ForAll("fields") List<HeaderField> fields) {
        List<Supplier<MultiMap>> kinds = List.of(
                HttpHeaders::headers, // what an HTTP/1.x request carries: Vert.x's HeadersMultiMap, a Netty HttpHeaders
                MultiMap::caseInsensitiveMultiMap,
                () -> new HeadersAdaptor(DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()),
                () -> new Http2HeadersAdaptor(new DefaultHttp2Headers(false)));
        for (Supplier<MultiMap> kind : kinds) {
            MultiMap map = kind.get();
            for (HeaderField f : fields) map.add(f.name(), f.value());

            HeaderLines lines = ServerRequestFacts.lines(map);

            assertThat(lines).as(map.getClass().getSimpleName()).isEqualTo(HeaderLines.of(listForm(map)));
            if (map instanceof io.netty.handler.codec.http.HttpHeaders)
                assertThat(lines).as("as added").isEqualTo(HeaderLines.of(fields));
        }
    }

    @Example
    void theLinesOfARealRequestAreReadAsSentAndJudgedAsTheListFormIs() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<List<Object>> seen = new CompletableFuture<>();
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                HeaderLines inPlace = ServerRequestFacts.lines(request.headers());
                List<HeaderField> list = listForm(request.headers());
                RequestHead head = ServerRequestFacts.head(request);
                RequestHead listHead = new RequestHead(head.method(), head.protocol(), head.target(), list, head.h2Authority());
                seen.complete(List.of(inPlace, HeaderLines.of(list), RequestRules.check(head), RequestRules.check(listHead)));
                request.response().end();
            }).listen(0, "127.0.0.1").await();
            try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /a HTTP/1.1\r\nHost: example.com\r\nx-Dup: 1\r\nX-DUP:  two\t\r\nValue:caf\u00e9\r\n"
                        + "Empty:\r\nContent-Length: 2\r\n\r\nhi").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                List<Object> s = seen.get(10, TimeUnit.SECONDS);
                InputStream in = socket.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");

                assertThat(s.get(0)).isEqualTo(s.get(1)).isEqualTo(HeaderLines.of(List.of(new HeaderField("Host", "example.com"),
                        new HeaderField("x-Dup", "1"), new HeaderField("X-DUP", "two"), new HeaderField("Value", "caf\u00e9"),
                        new HeaderField("Empty", ""), new HeaderField("Content-Length", "2"))));
                assertThat(s.get(2)).isEqualTo(s.get(3));
            }
            server.close().await();
        } finally {
            vertx.close().await();
        }
    }

    @Example
    void anHttp2RequestsLinesAreItsListFormAndJudgedAlike() {
        DefaultHttp2Headers h2 = new DefaultHttp2Headers(false);
        h2.method("GET").path("/a").authority("example.com").scheme("https");
        h2.add("x-a", "1").add("x-a", "2").add("cookie", "c=1");

        HeaderLines lines = ServerRequestFacts.lines(new Http2HeadersAdaptor(h2));

        assertThat(lines).isEqualTo(HeaderLines.of(listForm(new Http2HeadersAdaptor(h2))));
        assertThat(RequestRules.check(new RequestHead("GET", Protocol.HTTP_2, "/a", lines, Optional.of("example.com"))))
                .isEqualTo(RequestRules.check(new RequestHead("GET", Protocol.HTTP_2, "/a", listForm(new Http2HeadersAdaptor(h2)), Optional.of("example.com"))));
    }

    /** How the gateway read a request's lines before they were read in place. */
    private static List<HeaderField> listForm(MultiMap headers) {
        List<HeaderField> list = new ArrayList<>();
        headers.forEach((name, value) -> list.add(new HeaderField(name, value)));
        return list;
    }
}
