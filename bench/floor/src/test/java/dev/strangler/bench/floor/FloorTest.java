package dev.strangler.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each floor, between a raw-socket client and {@link RecordingBackend}, on loopback. */
class FloorTest {
    private static final String GET = "GET /api/r0/items/42 HTTP/1.1\r\nHost: floor.test\r\nConnection: keep-alive\r\n"
            + "Keep-Alive: timeout=5\r\nAccept: application/json\r\n\r\n";

    @TempDir
    Path dir;

    /** What the client saw of one response. */
    record Answer(String head, String body) {
        String requestId() {
            return RawHttp.header(head, "X-Request-Id").orElseThrow(() -> new AssertionError("no X-Request-Id in\n" + head));
        }
    }

    /** Two GETs on one client connection through the floor; returns what the client saw. */
    private List<Answer> twoGets(Floor.Mode mode, RecordingBackend backend) throws IOException {
        var settings = new Floor.Settings(mode, new InetSocketAddress("127.0.0.1", 0), backend.address(), dir.resolve("access.log"));
        try (var floor = Floor.start(settings); var socket = new Socket("127.0.0.1", floor.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            var first = exchange(out, in);
            var second = exchange(out, in);
            return List.of(first, second);
        }
    }

    private static Answer exchange(OutputStream out, InputStream in) throws IOException {
        out.write(GET.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read(in);
    }

    private static Answer read(InputStream in) throws IOException {
        String head = RawHttp.readHead(in);
        assertThat(head).as("response head").isNotNull().startsWith("HTTP/1.1 200");
        if (RawHttp.header(head, "Transfer-Encoding").filter("chunked"::equalsIgnoreCase).isPresent()) {
            assertThat(RawHttp.header(head, "Content-Length")).as("Content-Length beside chunked in\n" + head).isEmpty();
            return new Answer(head, RawHttp.readChunked(in));
        }
        int length = Integer.parseInt(RawHttp.header(head, "Content-Length").orElseThrow(() -> new AssertionError("no Content-Length in\n" + head)));
        return new Answer(head, RawHttp.readBody(in, length));
    }

    private Floor.Running start(Floor.Mode mode, RecordingBackend backend) throws IOException {
        return Floor.start(new Floor.Settings(mode, new InetSocketAddress("127.0.0.1", 0), backend.address(), dir.resolve("access.log")));
    }

    private static Answer send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return read(socket.getInputStream());
    }

    @ParameterizedTest
    @EnumSource(Floor.Mode.class)
    void theBackendBodyComesBackIntactWithTheRequestIdTheBackendWasGiven(Floor.Mode mode) throws IOException {
        try (var backend = new RecordingBackend()) {
            List<Answer> answers = twoGets(mode, backend);

            var received = backend.received();
            assertThat(received).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(answers.get(i).body()).isEqualTo(RecordingBackend.BODY);
                assertThat(answers.get(i).requestId()).matches("[0-9a-f]{32}");
                assertThat(RawHttp.header(received.get(i).head(), "X-Request-Id")).contains(answers.get(i).requestId());
                assertThat(RawHttp.header(answers.get(i).head(), "X-Served-By")).contains("recording-backend");
            }
            assertThat(answers.get(0).requestId()).isNotEqualTo(answers.get(1).requestId());
        }
    }

    @ParameterizedTest
    @EnumSource(Floor.Mode.class)
    void theSecondRequestReusesTheBackendConnection(Floor.Mode mode) throws IOException {
        try (var backend = new RecordingBackend()) {
            twoGets(mode, backend);

            assertThat(backend.connections()).isEqualTo(1);
            assertThat(backend.received()).extracting(RecordingBackend.Received::connection).containsExactly(1, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Floor.Mode.class)
    void aBodilessGetReachesTheBackendWithoutFramingAndWithItsHostButNotTheClientsHopByHopHeaders(Floor.Mode mode) throws IOException {
        try (var backend = new RecordingBackend()) {
            List<Answer> answers = twoGets(mode, backend);

            for (var received : backend.received()) {
                assertThat(received.head()).startsWith("GET /api/r0/items/42 HTTP/1.1\r\n");
                assertThat(RawHttp.header(received.head(), "Transfer-Encoding")).isEmpty();
                assertThat(RawHttp.header(received.head(), "Content-Length").orElse("0")).isEqualTo("0");
                assertThat(RawHttp.header(received.head(), "Host")).contains("floor.test");
                assertThat(received.head().split("(?i)\r\nhost:", -1)).as("one Host header").hasSize(2);
                assertThat(RawHttp.header(received.head(), "Keep-Alive")).isEmpty();
                assertThat(RawHttp.header(received.head(), "Accept")).contains("application/json");
            }
            for (var answer : answers) assertThat(RawHttp.header(answer.head(), "Keep-Alive")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Floor.Mode.class)
    void eachRequestLeavesOneAccessLogLineWithItsStatusAndId(Floor.Mode mode) throws IOException {
        try (var backend = new RecordingBackend()) {
            List<Answer> answers = twoGets(mode, backend); // closing the floor writes what the log holds

            List<String> lines = Files.readAllLines(dir.resolve("access.log"));
            assertThat(lines).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(lines.get(i)).contains("\"GET /api/r0/items/42\" 200 ").endsWith(" " + answers.get(i).requestId());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Floor.Mode.class)
    void twoPipelinedRequestsOnOneClientConnectionAreAnsweredInOrderEachWithItsOwnId(Floor.Mode mode) throws IOException {
        try (var backend = new RecordingBackend()) {
            var settings = new Floor.Settings(mode, new InetSocketAddress("127.0.0.1", 0), backend.address(), dir.resolve("access.log"));
            try (var floor = Floor.start(settings); var socket = new Socket("127.0.0.1", floor.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write((GET + GET.replace("/items/42", "/items/43")).getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                var first = read(in);
                var second = read(in);

                assertThat(List.of(first.body(), second.body())).containsOnly(RecordingBackend.BODY);
                assertThat(backend.received()).extracting(r -> r.head().lines().findFirst().orElseThrow())
                        .containsExactly("GET /api/r0/items/42 HTTP/1.1", "GET /api/r0/items/43 HTTP/1.1");
                assertThat(RawHttp.header(backend.received().get(0).head(), "X-Request-Id")).contains(first.requestId());
                assertThat(RawHttp.header(backend.received().get(1).head(), "X-Request-Id")).contains(second.requestId());
                assertThat(first.requestId()).isNotEqualTo(second.requestId());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Floor.Mode.class)
    void aChunkedResponseReachesTheClientWholeAndBothConnectionsServeTheNextRequest(Floor.Mode mode) throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(mode, backend); var socket = new Socket("127.0.0.1", floor.port())) {
            socket.setSoTimeout(10_000);
            Answer chunked = send(socket, GET.replace("/items/42", RecordingBackend.CHUNKED));
            Answer next = send(socket, GET);

            assertThat(RawHttp.header(chunked.head(), "Transfer-Encoding")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("chunked"));
            assertThat(chunked.body()).isEqualTo(RecordingBackend.BODY);
            assertThat(next.body()).isEqualTo(RecordingBackend.BODY);
            assertThat(RawHttp.header(backend.received().get(0).head(), "X-Request-Id")).contains(chunked.requestId());
            assertThat(backend.received()).extracting(RecordingBackend.Received::connection).containsExactly(1, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Floor.Mode.class)
    void hopByHopHeadersAndTheHeadersConnectionNamesStayOnTheirHopInBothDirections(Floor.Mode mode) throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(mode, backend); var socket = new Socket("127.0.0.1", floor.port())) {
            socket.setSoTimeout(10_000);
            Answer answer = send(socket, "GET /api/r0/items/42 HTTP/1.1\r\nHost: floor.test\r\nConnection: keep-alive, X-Client-Hop\r\n"
                    + "X-Client-Hop: 1\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nX-End-To-End: yes\r\n\r\n");

            String received = backend.received().get(0).head();
            for (String hop : List.of("X-Client-Hop", "Proxy-Connection", "TE", "Keep-Alive")) {
                assertThat(RawHttp.header(received, hop)).as(hop + " in\n" + received).isEmpty();
            }
            assertThat(RawHttp.header(received, "X-End-To-End")).contains("yes");
            for (String hop : List.of(RecordingBackend.HOP_HEADER, "Keep-Alive")) {
                assertThat(RawHttp.header(answer.head(), hop)).as(hop + " in\n" + answer.head()).isEmpty();
            }
            assertThat(RawHttp.header(answer.head(), "X-Served-By")).contains("recording-backend");
        }
    }
}
