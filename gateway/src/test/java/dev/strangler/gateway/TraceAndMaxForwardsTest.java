package dev.strangler.gateway;

import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Max-Forwards} on OPTIONS (RFC 9110 §7.6.2): the gateway checks and updates it before
 * forwarding — at zero it answers as the final recipient ({@code 200} with {@code Allow}, nothing
 * forwarded), a positive value goes on decremented, a value that is not a number is refused with
 * {@code 400}. TRACE is refused with {@code 405} and {@code Allow}, never forwarded: it would echo
 * the request's cookies and credentials back (cross-site tracing), and NGINX refuses it too.
 * {@code OPTIONS *} (asterisk-form, RFC 9112 §3.2.4: a request about the server in general, RFC 9110
 * §9.3.7) is answered by the gateway itself, the server its client speaks to, with the same answer
 * whatever its {@code Max-Forwards}; {@code *} with any other method is refused with {@code 400}.
 * What the gateway answers itself still reaches the observers as an outcome, like its other refusals.
 */
class TraceAndMaxForwardsTest {
    private static final String CANARY = "GET /canary HTTP/1.1\r\nHost: shop\r\n\r\n";

    /** Sends the canary on {@code client} and waits for its answer: whatever the gateway forwarded before it has reached the backend. */
    private static void canaryAnswered(Socket client) throws Exception {
        write(client, CANARY);
        assertThat(readHead(client)).startsWith("HTTP/1.1 200");
        assertThat(readBytes(client, 2)).isEqualTo("ok");
    }

    /**
     * Sends {@code request}, which carries {@code X-Request-Id: id}, on a keep-alive connection and
     * checks that the gateway answered it itself (200, {@code Allow}, no content, the request id),
     * reported it so, kept the connection usable and forwarded nothing; returns the outcome.
     */
    private static Outcome answeredByTheGateway(boolean lean, String request, String id) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, request);
            String head = readHead(client);
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("\r\nallow: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS\r\n")
                    .containsIgnoringCase("\r\ncontent-length: 0\r\n").containsIgnoringCase("\r\nx-request-id: " + id + "\r\n")
                    .doesNotContainIgnoringCase("connection: close");
            Outcome outcome = g.nextOutcome();
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(outcome.method()).isEqualTo("OPTIONS");
            assertThat(outcome.backend()).isEqualTo("strangler");
            assertThat(outcome.route()).isEqualTo(Outcome.UNROUTED);
            assertThat(outcome.failure()).isEmpty();
            canaryAnswered(client); // on the same connection: it stays usable
            assertThat(backend.allReceived()).startsWith("GET /canary ").doesNotContain("OPTIONS");
            return outcome;
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void anOptionsRequestWithMaxForwardsZeroIsAnsweredByTheGatewayAndNeverForwarded(boolean lean) throws Exception {
        Outcome outcome = answeredByTheGateway(lean, "OPTIONS /api/posts HTTP/1.1\r\nHost: shop\r\nMax-Forwards: 0\r\nX-Request-Id: opt-1\r\n\r\n", "opt-1");
        assertThat(outcome.path()).isEqualTo("/api/posts");
    }

    @ParameterizedTest(name = "lean client: {0}, {1}")
    @CsvSource(delimiter = '|', value = {"true|''", "false|''", "true|Max-Forwards: 0", "false|Max-Forwards: 0", "true|Max-Forwards: 5",
            "false|Max-Forwards: 5"})
    void anOptionsRequestAboutTheServerInGeneralIsAnsweredByTheGatewayAndNeverForwarded(boolean lean, String maxForwards) throws Exception {
        String extra = maxForwards.isEmpty() ? "" : maxForwards + "\r\n";
        Outcome outcome = answeredByTheGateway(lean, "OPTIONS * HTTP/1.1\r\nHost: shop\r\n" + extra + "X-Request-Id: star-1\r\n\r\n", "star-1");
        assertThat(outcome.path()).isEqualTo("*");
    }

    @Test
    void anHttp10OptionsRequestAboutTheServerInGeneralIsAnsweredWithoutAHost() throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "OPTIONS * HTTP/1.0\r\n\r\n");
            String answer = readToClose(client, Duration.ofSeconds(5));
            assertThat(answer).startsWith("HTTP/1.0 200 OK\r\n").containsIgnoringCase("\r\nallow: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS\r\n")
                    .endsWith("\r\n\r\n");
            assertThat(g.nextOutcome().status()).isEqualTo(200);
            assertThat(backend.conversations()).isEmpty();
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void anOptionsRequestWithAPositiveMaxForwardsReachesTheBackendDecremented(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "OPTIONS /api/posts HTTP/1.1\r\nHost: shop\r\nMax-Forwards: 3\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            assertThat(backend.conversation(0).received()).startsWith("OPTIONS /api/posts HTTP/1.1\r\n")
                    .containsIgnoringCase("\r\nmax-forwards: 2\r\n").doesNotContainIgnoringCase("max-forwards: 3");
        }
    }

    /** What the client got for a request the gateway refused, and the outcome it reported. */
    private record Refused(String answer, Outcome outcome) {}

    /**
     * Sends {@code request} on a connection of its own and reads the answer until the gateway closes
     * it; then, once a canary request went through, checks that the backend never saw the request.
     */
    private static Refused refused(String request) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), List.of())) {
            String answer;
            try (Socket client = g.connect()) {
                write(client, request);
                answer = readToClose(client, Duration.ofSeconds(5));
            }
            Outcome outcome = g.nextOutcome();
            try (Socket client = g.connect()) {
                canaryAnswered(client);
            }
            assertThat(backend.allReceived()).as("what the backend received").startsWith("GET /canary ").doesNotContain("OPTIONS", "TRACE");
            assertThat(outcome.backend()).isEqualTo("strangler");
            assertThat(outcome.route()).isEqualTo(Outcome.UNROUTED);
            return new Refused(answer, outcome);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Max-Forwards: abc", "Max-Forwards: -1", "Max-Forwards: 1, 2", "Max-Forwards: 1\r\nMax-Forwards: 1",
            "Max-Forwards: ", "Max-Forwards: 1234567890123456789"})
    void anOptionsRequestWithAMaxForwardsThatIsNotOneNumberIsRefusedAndNeverForwarded(String maxForwards) throws Exception {
        Refused r = refused("OPTIONS /api/posts HTTP/1.1\r\nHost: shop\r\n" + maxForwards + "\r\n\r\n");

        assertThat(r.answer()).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("application/problem+json", "bad-max-forwards");
        assertThat(r.outcome().status()).isEqualTo(400);
        assertThat(r.outcome().failure()).contains(Failure.BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Max-Forwards: abc", "Max-Forwards: 1\r\nMax-Forwards: 1"})
    void anOptionsRequestAboutTheServerWithAMaxForwardsThatIsNotOneNumberIsRefusedLikeAnyOther(String maxForwards) throws Exception {
        Refused r = refused("OPTIONS * HTTP/1.1\r\nHost: shop\r\n" + maxForwards + "\r\n\r\n");

        assertThat(r.answer()).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("application/problem+json", "bad-max-forwards");
        assertThat(r.outcome().status()).isEqualTo(400);
    }

    /** RFC 9112 §3.2.4: the asterisk-form is only used for a server-wide OPTIONS request. */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "DELETE", "TRACE", "PATCH"})
    void theAsteriskFormWithAnotherMethodIsRefusedAndNeverForwarded(String method) throws Exception {
        String body = method.equals("POST") || method.equals("PATCH") ? "Content-Length: 2\r\n\r\nhi" : "\r\n";
        Refused r = refused(method + " * HTTP/1.1\r\nHost: shop\r\n" + body);

        assertThat(r.answer()).startsWith("HTTP/1.1 400 Bad Request\r\n");
        // The answer to a HEAD has no content: the problem body is for the others.
        if (!method.equals("HEAD")) assertThat(r.answer()).contains("application/problem+json", "bad-target", "only for OPTIONS");
        assertThat(r.outcome().status()).isEqualTo(400);
        assertThat(r.outcome().method()).isEqualTo(method);
        assertThat(r.outcome().failure()).contains(Failure.BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Max-Forwards: 5\r\n", "Cookie: session=s3cret\r\nAuthorization: Bearer t0ken\r\n"})
    void traceIsRefusedWith405AndAnAllowHeaderAndNeverForwarded(String headers) throws Exception {
        Refused r = refused("TRACE /api/posts HTTP/1.1\r\nHost: shop\r\n" + headers + "\r\n");

        assertThat(r.answer()).startsWith("HTTP/1.1 405 Method Not Allowed\r\n")
                .containsIgnoringCase("\r\nallow: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS\r\n")
                .contains("application/problem+json", "method-not-allowed")
                .doesNotContain("s3cret", "t0ken");
        assertThat(r.outcome().status()).isEqualTo(405);
        assertThat(r.outcome().method()).isEqualTo("TRACE");
    }

    @Test
    void maxForwardsOnAnotherMethodIsPassedOnUntouched() throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /api/posts HTTP/1.1\r\nHost: shop\r\nMax-Forwards: 0\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            assertThat(backend.conversation(0).received()).containsIgnoringCase("\r\nmax-forwards: 0\r\n");
        }
    }
}
