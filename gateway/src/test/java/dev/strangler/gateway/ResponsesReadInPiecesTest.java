package dev.strangler.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend's response that reaches the gateway in many reads (the backend writes it a byte at a time) is
 * relayed as when it comes in one, over both backend clients: the lean client's reader keeps an incomplete
 * head, chunk-size line or trailer section between reads and hands body bytes on as they come. The backend
 * is a raw socket; then the same connection answers a second request, so nothing of the first was left over.
 */
class ResponsesReadInPiecesTest {
    /** One backend answer, written a byte at a time, and what the client gets for it ({@code {id}}: the request id). */
    record Piecewise(String behaviour, String answer, String expected) {
        @Override
        public String toString() {
            return behaviour;
        }
    }

    static List<Piecewise> cases() {
        return List.of(
                new Piecewise("aContentLengthBody", "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nhello",
                        "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 5\r\nX-Request-Id: {id}\r\n\r\nhello"),
                new Piecewise("aChunkedBodyWithExtensionsAndTrailers",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n6 ; q=\"x;y\"\r\n world\r\n0;last\r\nX-Sum: 1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
                new Piecewise("earlyHintsThenTheAnswer",
                        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-B: 2\r\n\r\n",
                        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 204 No Content\r\nX-B: 2\r\nX-Request-Id: {id}\r\n\r\n"),
                new Piecewise("aFoldedValueAndSpaceBeforeTheColon",
                        "HTTP/1.1 200 OK\r\nX-Folded: one\r\n  two\r\nX-Spaced : v\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Folded: one two\r\nX-Spaced: v\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"));
    }

    private static final String SECOND = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond";
    private static ScriptedBackend backend;
    private static final Map<BackendClient, GatewayInFront> GATEWAYS = new EnumMap<>(BackendClient.class);

    @BeforeAll
    static void start() throws Exception {
        List<Piecewise> cases = cases();
        backend = ScriptedBackend.start(c -> {
            while (true) {
                String head = c.readHead();
                String path = head.split(" ", 3)[1];
                if (path.equals("/second")) c.write(SECOND);
                else c.writeEachByte(cases.get(Integer.parseInt(path.substring("/case/".length()))).answer());
            }
        });
        for (BackendClient client : BackendClient.values()) GATEWAYS.put(client, client.start(() -> GatewayInFront.of(backend.url(), List.of())));
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayInFront g : GATEWAYS.values()) g.close();
        backend.close();
    }

    static Stream<Arguments> casesOverBothClients() {
        List<Arguments> all = new ArrayList<>();
        List<Piecewise> cases = cases();
        for (int i = 0; i < cases.size(); i++) for (BackendClient client : BackendClient.values()) all.add(Arguments.of(cases.get(i), client, i));
        return all.stream();
    }

    /** {@code response} with a chunked body written as its data alone (the head as it is). */
    private static String dechunked(String response) {
        if (!response.contains("transfer-encoding: chunked")) return response;
        int body = response.indexOf("\r\n\r\n", response.lastIndexOf("HTTP/1.1 ")) + 4; // after the final head
        StringBuilder data = new StringBuilder(response.substring(0, body));
        int at = body;
        while (at < response.length()) {
            int lineEnd = response.indexOf("\r\n", at);
            int size = Integer.parseInt(response.substring(at, lineEnd), 16);
            if (size == 0) break;
            data.append(response, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return data.toString();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("casesOverBothClients")
    void aResponseReadInPiecesIsRelayedAsAWholeOneIsAndTheConnectionServesTheNextRequest(Piecewise c, BackendClient client, int index) throws Exception {
        try (Socket user = GATEWAYS.get(client).connect()) {
            String id = "piece-" + index;
            GatewayInFront.write(user, "GET /case/" + index + " HTTP/1.1\r\nHost: shop\r\nX-Request-Id: " + id + "\r\n\r\n");
            String expected = c.expected().replace("{id}", id);
            StringBuilder received = new StringBuilder();
            String head;
            do {
                head = GatewayInFront.readHead(user);
                received.append(head);
            } while (head.startsWith("HTTP/1.1 1"));
            if (head.contains("transfer-encoding: chunked")) {
                received.append(GatewayInFront.readUntil(user, t -> t.equals("0\r\n\r\n") || t.endsWith("\r\n0\r\n\r\n")));
            } else {
                received.append(GatewayInFront.readBytes(user, Math.max(0, expected.length() - received.length())));
            }
            // The body goes on as it comes, so where the client's chunks end depends on the reads: compared de-chunked.
            assertThat(dechunked(received.toString())).isEqualTo(dechunked(expected));

            GatewayInFront.write(user, "GET /second HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(GatewayInFront.readHead(user)).startsWith("HTTP/1.1 200");
            assertThat(GatewayInFront.readBytes(user, 6)).isEqualTo("second");
        }
    }
}
