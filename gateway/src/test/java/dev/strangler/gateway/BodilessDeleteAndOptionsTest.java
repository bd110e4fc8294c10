package dev.strangler.gateway;

import dev.strangler.gateway.observe.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodiless DELETE and OPTIONS requests reach the backend and the client the same whichever server
 * path reads them. By default a fresh connection's bodiless DELETE or OPTIONS in origin form is read
 * by the gateway's own path ({@code OwnConnectionTakesTest} shows which requests it takes), while a
 * connection whose first request carries {@code Content-Length} is Vert.x's for good: each case is
 * sent both ways to one gateway and backend, and the bytes the raw backend received and the client
 * got must be the same, and as written here. With {@code -Dstrangler.own-server=false} (surefire's
 * second run of this class) both ways are Vert.x's, and the bytes still must be these.
 */
class BodilessDeleteAndOptionsTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    /** Sent first on the connection that stays Vert.x's: the own path hands over at a {@code Content-Length}, and keeps off after. */
    private static final String TO_VERTX = "GET /to-vertx HTTP/1.1\r\nHost: shop\r\nContent-Length: 0\r\n\r\n";
    /** Sent last on both connections: once it is answered, the backend has everything the gateway sent before it. */
    private static final String CANARY = "GET /canary HTTP/1.1\r\nHost: shop\r\n\r\n";
    private static final Pattern REQUEST_ID = Pattern.compile("(?i)(\r\nx-request-id: )[^\r]*");

    /** One request as the backend got it (from its request line up to the next request on that connection) and as the client got the answer. */
    private record Seen(String atBackend, String atClient, Outcome outcome) {
        /** The bytes at both ends with the gateway's fresh request id replaced, to compare two requests. */
        List<String> withoutRequestIds() {
            return List.of(REQUEST_ID.matcher(atBackend).replaceAll("$1<id>"),
                    REQUEST_ID.matcher(atClient).replaceAll("$1<id>"));
        }
    }

    /**
     * Answers each request once its head (and its Content-Length's body) arrived: a DELETE with
     * {@code 204}, an OPTIONS with {@code 200} and {@code Allow}, anything else with {@code 200 ok}.
     */
    private static ScriptedBackend.Script answers() {
        return c -> {
            while (true) {
                String head = c.readHead();
                Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n").matcher(head);
                c.readBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                if (head.startsWith("DELETE ")) c.write("HTTP/1.1 204 No Content\r\nX-Deleted: yes\r\n\r\n");
                else if (head.startsWith("OPTIONS ")) c.write("HTTP/1.1 200 OK\r\nAllow: GET, DELETE, OPTIONS\r\nContent-Length: 0\r\n\r\n");
                else c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        };
    }

    /** Sends {@code request} on a fresh connection (the own path's, when it is on) and after {@link #TO_VERTX} on another; the two as seen. */
    private static List<Seen> onBothPaths(String request, String requestLine) throws Exception {
        try (var backend = ScriptedBackend.start(answers());
             var g = GatewayInFront.of(backend.url(), List.of())) {
            Seen fresh = sent(g, backend, null, request, requestLine);
            Seen vertx = sent(g, backend, TO_VERTX, request, requestLine);
            return List.of(fresh, vertx);
        }
    }

    private static Seen sent(GatewayInFront g, ScriptedBackend backend, String first, String request, String requestLine) throws Exception {
        try (Socket client = g.connect()) {
            if (first != null) {
                write(client, first);
                assertThat(readHead(client)).startsWith("HTTP/1.1 200 OK\r\n");
                assertThat(readBytes(client, 2)).isEqualTo("ok");
                g.nextOutcome();
            }
            write(client, request);
            String atClient = readHead(client);
            Outcome outcome = g.nextOutcome();
            write(client, CANARY);
            assertThat(readHead(client)).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            g.nextOutcome();
            return new Seen(receivedFor(backend, requestLine), atClient, outcome);
        }
    }

    /** What the backend received from {@code requestLine} on (the last such request) up to the next request line or the connection's end. */
    private static String receivedFor(ScriptedBackend backend, String requestLine) {
        String found = "";
        for (ScriptedBackend.Conversation c : backend.conversations()) {
            String all = c.received();
            int at = all.lastIndexOf(requestLine);
            if (at < 0) continue;
            int next = all.indexOf(CANARY.substring(0, CANARY.indexOf('\r')), at);
            found = all.substring(at, next < 0 ? all.length() : next);
        }
        return found;
    }

    /**
     * Checks that both ways saw the same bytes (request ids aside), that these are {@code atBackend}
     * and {@code atClient} ({@code <id>} for the request id), that the backend and the client got the
     * same request id, and that the observers (access log, metrics, catalog) saw the request so.
     */
    private static void sameOnBothPaths(List<Seen> seen, String atBackend, String atClient, String method, String path, int status,
                                        String backend) {
        for (Seen s : seen) {
            assertThat(s.withoutRequestIds()).containsExactly(atBackend, atClient);
            String id = s.outcome().requestId();
            if (!atBackend.isEmpty()) assertThat(s.atBackend()).contains("\r\nX-Request-Id: " + id + "\r\n");
            assertThat(s.atClient()).contains("\r\nX-Request-Id: " + id + "\r\n");
            assertThat(s.outcome().method()).isEqualTo(method);
            assertThat(s.outcome().path()).isEqualTo(path);
            assertThat(s.outcome().status()).isEqualTo(status);
            assertThat(s.outcome().backend()).isEqualTo(backend);
            assertThat(s.outcome().failure()).isEmpty();
        }
    }

    /** The head the backend gets for a request to {@code shop} from loopback: its own lines, then the gateway's, then Host; then {@code body}. */
    private static String forwarded(String requestLine, String ownLines, String body) {
        return requestLine + ownLines
                + "X-Forwarded-For: 127.0.0.1\r\n"
                + "X-Forwarded-Proto: http\r\n"
                + "X-Forwarded-Host: shop\r\n"
                + "X-Request-Id: <id>\r\n"
                + "host: shop\r\n\r\n" + body;
    }

    private static final String DELETED = "HTTP/1.1 204 No Content\r\nX-Deleted: yes\r\nX-Request-Id: <id>\r\n\r\n";

    @Test
    void aBodilessDeleteGoesOutWithoutBodyOrFramingAndItsAnswerComesBackTheSameOnBothPaths() throws Exception {
        String line = "DELETE /items/-1 HTTP/1.1\r\n";
        List<Seen> seen = onBothPaths(line + "Host: shop\r\ntraceparent: " + TRACEPARENT + "\r\nAccept: */*\r\n\r\n", line);
        sameOnBothPaths(seen, forwarded(line, "traceparent: " + TRACEPARENT + "\r\nAccept: */*\r\n", ""), DELETED,
                "DELETE", "/items/-1", 204, "monolith");
    }

    @Test
    void aBodilessOptionsInOriginFormIsForwardedAndAnsweredTheSameOnBothPaths() throws Exception {
        String line = "OPTIONS /app/api/v2/x HTTP/1.1\r\n";
        List<Seen> seen = onBothPaths(line + "Host: shop\r\ntraceparent: " + TRACEPARENT + "\r\n\r\n", line);
        sameOnBothPaths(seen, forwarded(line, "traceparent: " + TRACEPARENT + "\r\n", ""),
                "HTTP/1.1 200 OK\r\nAllow: GET, DELETE, OPTIONS\r\nContent-Length: 0\r\nX-Request-Id: <id>\r\n\r\n",
                "OPTIONS", "/app/api/v2/x", 200, "monolith");
    }

    @Test
    void optionsStarIsAnsweredByTheGatewayTheSameOnBothPaths() throws Exception {
        List<Seen> seen = onBothPaths("OPTIONS * HTTP/1.1\r\nHost: shop\r\n\r\n", "OPTIONS * HTTP/1.1\r\n");
        sameOnBothPaths(seen, "",
                "HTTP/1.1 200 OK\r\nallow: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS\r\ncontent-length: 0\r\nX-Request-Id: <id>\r\n\r\n",
                "OPTIONS", "*", 200, "strangler");
    }

    /** A {@code Content-Length}, even {@code 0}, keeps a DELETE on Vert.x's path: it goes out with that length, and its body. */
    @ParameterizedTest
    @ValueSource(strings = {"", "{}"})
    void aDeleteWithAContentLengthGoesOutWithItTheSameOnBothPaths(String body) throws Exception {
        String line = "DELETE /items/3 HTTP/1.1\r\n";
        String length = "Content-Length: " + body.length() + "\r\n";
        List<Seen> seen = onBothPaths(line + "Host: shop\r\n" + length + "\r\n" + body, line);
        sameOnBothPaths(seen, forwarded(line, length, body), DELETED, "DELETE", "/items/3", 204, "monolith");
    }
}
