package dev.strangler.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersTest {
    @Test
    void hopByHopHeadersAreDroppedWhateverTheirCaseAndEverythingElseIsKeptAsWritten() {
        MultiMap source = HttpHeaders.headers()
                .add("Connection", "keep-alive, X-Secret-Hop").add("KEEP-ALIVE", "timeout=5").add("Proxy-Connection", "x")
                .add("proxy-authenticate", "Basic").add("Proxy-Authorization", "Basic abc").add("TE", "trailers")
                .add("Trailer", "X-Sum").add("Transfer-Encoding", "chunked").add("Upgrade", "websocket")
                .add("HTTP2-Settings", "AAA").add("x-secret-hop", "named by Connection")
                .add("Host", "example.org").add("X-Te", "kept").add("Upgrade-Insecure-Requests", "1")
                .add("Content-Type", "application/json").add("Accept", "a").add("Accept", "b");

        MultiMap toBackend = ProxyHeaders.endToEnd(source, true);

        assertThat(toBackend.names()).containsExactlyInAnyOrder("X-Te", "Upgrade-Insecure-Requests", "Content-Type", "Accept");
        assertThat(toBackend.getAll("Accept")).containsExactly("a", "b");
        assertThat(ProxyHeaders.endToEnd(source, false).get("Host")).isEqualTo("example.org");
    }

    @Test
    void replacingHeadersDropsWhatTheTargetHadBefore() {
        MultiMap target = HttpHeaders.headers().add("X-Old", "1");

        ProxyHeaders.replaceWithEndToEnd(HttpHeaders.headers().add("X-New", "2").add("Keep-Alive", "timeout=5"), target);

        assertThat(target.names()).containsExactly("X-New");
    }

    /**
     * The copy compares names without case and without making lower-case copies; it must keep
     * exactly what a plain reading of the rule keeps (lower-case everything, then look it up), in the same order.
     */
    @Property(tries = 500)
    void theEndToEndCopyKeepsWhatTheRuleKeepsInOrder(@ForAll("messages") List<Tuple.Tuple2<String, String>> fields,
                                                     @ForAll boolean dropHost) {
        MultiMap source = HttpHeaders.headers();
        for (Tuple.Tuple2<String, String> field : fields) source.add(field.get1(), field.get2());

        List<String> copied = ProxyHeaders.endToEnd(source, dropHost).entries().stream().map(h -> h.getKey() + ": " + h.getValue()).toList();

        assertThat(copied).containsExactlyElementsOf(byTheRule(source, dropHost));
    }

    /**
     * The head decoded into the client's map is cleaned in place: it must end as the copy into a fresh
     * map would, in order, whether its Connection lines were counted (the lean client's decoder counts them) or not.
     */
    @Property(tries = 500)
    void keepingEndToEndHeadersInPlaceLeavesWhatTheCopyCopies(@ForAll("messages") List<Tuple.Tuple2<String, String>> fields,
                                                              @ForAll boolean counted) {
        MultiMap inPlace = io.vertx.core.http.impl.headers.HeadersMultiMap.httpHeaders();
        for (Tuple.Tuple2<String, String> field : fields) inPlace.add(field.get1(), field.get2());
        MultiMap copy = ProxyHeaders.endToEnd(inPlace, false);

        ProxyHeaders.keepEndToEnd(inPlace, counted ? inPlace.getAll("Connection").size() : ProxyHeaders.UNCOUNTED);

        assertThat(lines(inPlace)).containsExactlyElementsOf(lines(copy));
    }

    /** The same for the own server's response map, which drops the names in one pass of its own. */
    @Property(tries = 500)
    void keepingEndToEndHeadersInTheOwnServersMapLeavesWhatTheCopyCopies(@ForAll("messages") List<Tuple.Tuple2<String, String>> fields,
                                                                        @ForAll boolean counted) {
        FlatHeaders inPlace = new FlatHeaders();
        for (Tuple.Tuple2<String, String> field : fields) inPlace.add(field.get1(), field.get2());
        MultiMap copy = ProxyHeaders.endToEnd(inPlace, false);

        ProxyHeaders.keepEndToEnd(inPlace, counted ? inPlace.getAll("Connection").size() : ProxyHeaders.UNCOUNTED);

        assertThat(lines(inPlace)).containsExactlyElementsOf(lines(copy));
    }

    /** Copied to a sink, a message loses what any of its Connection lines named, counted (a client's request is) or not. */
    @Property(tries = 500)
    void aMessageCopiedToASinkKeepsWhatTheRuleKeepsInOrder(@ForAll("messages") List<Tuple.Tuple2<String, String>> fields,
                                                         @ForAll boolean counted) {
        MultiMap source = HttpHeaders.headers();
        for (Tuple.Tuple2<String, String> field : fields) source.add(field.get1(), field.get2());
        List<String> copied = new ArrayList<>();

        ProxyHeaders.copyEndToEnd(source, counted ? source.getAll("Connection").size() : ProxyHeaders.UNCOUNTED,
                (name, value) -> copied.add(name + ": " + value), true);

        assertThat(copied).containsExactlyElementsOf(byTheRule(source, true));
    }

    @Test
    void aNameOnAnyConnectionLineIsNamedWhateverItsCaseAndEmptyElementsNameNothing() {
        MultiMap headers = HttpHeaders.headers().add("Connection", ",x-a,").add("connection", " KEEP-ALIVE ,\tX-Forwarded-For")
                .add("CONNECTION", "x-a, , close");

        assertThat(ProxyHeaders.isNamedByConnection(headers, 3, "X-Forwarded-For")).isTrue();
        assertThat(ProxyHeaders.isNamedByConnection(headers, 3, "x-a")).isTrue();
        assertThat(ProxyHeaders.isNamedByConnection(headers, ProxyHeaders.UNCOUNTED, "x-forwarded-for")).isTrue();
        assertThat(ProxyHeaders.isNamedByConnection(headers, 3, "")).as("an empty element names nothing").isFalse();
        assertThat(ProxyHeaders.isNamedByConnection(headers, 3, "x-b")).isFalse();
        assertThat(ProxyHeaders.isNamedByConnection(headers, 0, "x-a")).as("counted as none").isFalse();
    }

    /**
     * The common case, none or one Connection line listing only hop-by-hop tokens ({@code keep-alive},
     * as browsers send), costs the copy nothing more than a message without one: the tokens are read
     * in place. Reading them with {@code split}, {@code trim} and {@code toLowerCase} allocated for every such message.
     */
    @Test
    void aConnectionLineListingOnlyHopByHopTokensAllocatesNothingMore() {
        MultiMap without = HttpHeaders.headers().add("Host", "a").add("Accept", "*/*");
        MultiMap with = HttpHeaders.headers().add("Host", "a").add("Connection", " Keep-Alive, close,,Upgrade ").add("Accept", "*/*");
        ProxyHeaders.Sink discard = (name, value) -> { };
        // Both warmed first, so neither is measured while the other's path is still being compiled.
        allocatedPerCopy(without, 0, discard);
        allocatedPerCopy(with, 1, discard);

        long base = allocatedPerCopy(without, 0, discard);
        long one = allocatedPerCopy(with, 1, discard);

        // Less than the walk's own iterator (24 B), which a copy still run in the interpreter allocates;
        // reading the line with split, trim and toLowerCase cost 600 B more.
        assertThat(one - base).as("bytes per copy more than without a Connection line (%s without)", base).isLessThan(24);
    }

    private static long allocatedPerCopy(MultiMap source, int connectionLines, ProxyHeaders.Sink sink) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int copies = 20_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < copies; i++) ProxyHeaders.copyEndToEnd(source, connectionLines, sink, true);
        return (threads.getCurrentThreadAllocatedBytes() - before) / copies;
    }

    private static List<String> lines(MultiMap headers) {
        return headers.entries().stream().map(h -> h.getKey() + ": " + h.getValue()).toList();
    }

    private static List<String> byTheRule(MultiMap source, boolean dropHost) {
        Set<String> hopByHop = Set.of("te", "trailer", "upgrade", "connection", "keep-alive", "http2-settings", "proxy-connection",
                "transfer-encoding", "proxy-authenticate", "proxy-authorization");
        Set<String> named = new HashSet<>();
        // Every Connection line: together they are one list (RFC 9110 §5.3).
        for (String connection : source.getAll("Connection"))
            for (String token : connection.split(",")) named.add(token.trim().toLowerCase(Locale.ROOT));
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, String> h : source.entries()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (hopByHop.contains(name) || named.contains(name) || (dropHost && name.equals("host"))) continue;
            kept.add(h.getKey() + ": " + h.getValue());
        }
        return kept;
    }

    /** Messages whose names come in any case, some hop-by-hop, some named by a Connection header that may list odd tokens. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> messages() {
        // Every hop-by-hop name: keepEndToEnd removes them by a list of its own, copyEndToEnd drops them by isHopByHop.
        Arbitrary<String> names = Arbitraries.of("Connection", "Keep-Alive", "TE", "Trailer", "Upgrade", "Transfer-Encoding",
                        "Proxy-Connection", "HTTP2-Settings", "Proxy-Authenticate", "Proxy-Authorization",
                        "Host", "X-Hop", "X-Other", "Accept", "Content-Type", "Close", "te2")
                .flatMap(name -> Arbitraries.integers().between(0, 2)
                        .map(c -> c == 0 ? name : c == 1 ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT)));
        Arbitrary<String> values = Arbitraries.of("keep-alive", "close", "x-hop, Keep-Alive", " X-OTHER ,te", "", ",,accept", "1");
        return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(12);
    }
}
