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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the own-heads floor does (the others' codecs decide it for them), between raw sockets on loopback. */
class OwnFloorTest {
    private static final String GET = "GET /api/r0/items/42 HTTP/1.1\r\nHost: floor.test\r\n\r\n";

    @TempDir
    Path dir;

    private Floor.Running start(RecordingBackend backend) throws IOException {
        return Floor.start(new Floor.Settings(Floor.Mode.OWN, new InetSocketAddress("127.0.0.1", 0), backend.address(), dir.resolve("access.log")));
    }

    private static Socket connect(Floor.Running floor) throws IOException {
        var socket = new Socket("127.0.0.1", floor.port());
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void write(Socket socket, String bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void aRequestWithABodyIsAnswered501AndNeverReachesTheBackend() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            write(socket, "POST /api/r0/items HTTP/1.1\r\nHost: floor.test\r\nContent-Length: 2\r\n\r\n{}");
            String head = RawHttp.readHead(socket.getInputStream());

            assertThat(head).startsWith("HTTP/1.1 501 ");
            assertThat(RawHttp.header(head, "Connection")).contains("close");
            assertThat(RawHttp.header(head, "X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
            assertThat(socket.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
            assertThat(backend.received()).isEmpty();
        }
        assertThat(Files.readAllLines(dir.resolve("access.log"))).singleElement().asString().contains("\"POST /api/r0/items\" 501 ");
    }

    @Test
    void aChunkedRequestIsAnswered501Too() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            write(socket, "POST /api/r0/items HTTP/1.1\r\nHost: floor.test\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");

            assertThat(RawHttp.readHead(socket.getInputStream())).startsWith("HTTP/1.1 501 ");
            assertThat(backend.received()).isEmpty();
        }
    }

    @Test
    void aClientsOwnRequestIdIsKeptBothWays() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            write(socket, "GET /api/r0/items/42 HTTP/1.1\r\nHost: floor.test\r\nX-Request-Id: client-chose-this\r\n\r\n");
            String head = RawHttp.readHead(socket.getInputStream());

            assertThat(RawHttp.header(head, "X-Request-Id")).contains("client-chose-this");
            String received = backend.received().get(0).head();
            assertThat(RawHttp.header(received, "X-Request-Id")).contains("client-chose-this");
            assertThat(received.split("(?i)\r\nx-request-id:", -1)).as("one X-Request-Id line").hasSize(2);
        }
    }

    @Test
    void aHeadSentAByteAtATimeReachesTheBackendAsTheClientWroteIt() throws IOException {
        String request = "GET /api/r0/items/42?q=1 HTTP/1.1\r\nHost: floor.test\r\nAccept: application/json\r\nX-Odd-Case: Value  With  Spaces\r\n\r\n";
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            for (char c : request.toCharArray()) write(socket, String.valueOf(c));
            String head = RawHttp.readHead(socket.getInputStream());

            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n");
            String received = backend.received().get(0).head();
            String id = RawHttp.header(head, "X-Request-Id").orElseThrow();
            assertThat(received).isEqualTo(request.replace("\r\n\r\n", "\r\nX-Request-Id: " + id + "\r\n\r\n"));
        }
    }

    @Test
    void theResponseHeadReachesTheClientAsTheBackendWroteItButForTheHopByHopLines() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            write(socket, GET);
            String head = RawHttp.readHead(socket.getInputStream());

            String id = RawHttp.header(head, "X-Request-Id").orElseThrow();
            assertThat(head).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + RecordingBackend.BODY.length() + "\r\nX-Served-By: recording-backend\r\nX-Request-Id: " + id + "\r\n\r\n");
        }
    }

    @Test
    void anHttp10ClientGetsAChunkedBodyWithoutItsFramingAndTheConnectionClosedAfterIt() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            write(socket, "GET /api/r0" + RecordingBackend.CHUNKED + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);

            assertThat(head).startsWith("HTTP/1.1 200 ");
            assertThat(RawHttp.header(head, "Transfer-Encoding")).isEmpty();
            assertThat(RawHttp.header(head, "Connection")).contains("close");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(RecordingBackend.BODY);
            assertThat(backend.received().get(0).head()).startsWith("GET /api/r0/chunked HTTP/1.1\r\n");
        }
    }

    @Test
    void anHttp10ClientAskingForKeepAliveKeepsItsConnectionForABodyOfKnownLength() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            String request = "GET /api/r0/items/42 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
            for (int i = 0; i < 2; i++) {
                write(socket, request);
                String head = RawHttp.readHead(socket.getInputStream());
                assertThat(RawHttp.header(head, "Connection")).contains("keep-alive");
                int length = Integer.parseInt(RawHttp.header(head, "Content-Length").orElseThrow());
                assertThat(RawHttp.readBody(socket.getInputStream(), length)).isEqualTo(RecordingBackend.BODY);
            }
            assertThat(backend.received()).hasSize(2);
        }
    }

    @Test
    void aMalformedHeadIsAnswered400AndNeverReachesTheBackend() throws IOException {
        for (String malformed : new String[] {
                "GET /a HTTP/1.1\r\nHost: floor.test\r\nBad Name: x\r\n\r\n",
                "GET /a HTTP/1.1\r\nHost: floor.test\r\n folded: x\r\n\r\n",
                "GET /a HTTP/1.1\r\nHost: floor.test\nX: bare-lf\r\n\r\n",
                "GET /a HTTP/1.1\r\nHost: one\r\nHost: two\r\n\r\n",
                "GET /a HTTP/1.1\r\nX: no-host\r\n\r\n",
                "GET /a HTTP/2.0\r\nHost: floor.test\r\n\r\n",
                "GET /a b HTTP/1.1\r\nHost: floor.test\r\n\r\n",
                "GET /a HTTP/1.1\r\nHost: floor.test\r\nContent-Length: x\r\n\r\n"}) {
            try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
                write(socket, malformed);

                assertThat(RawHttp.readHead(socket.getInputStream())).as(malformed).startsWith("HTTP/1.1 400 ");
                assertThat(backend.received()).as(malformed).isEmpty();
            }
        }
    }

    @Test
    void aHeadRequestsAnswerHasNoBodyAndTheConnectionServesTheNext() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            write(socket, GET.replace("GET", "HEAD") + GET);
            InputStream in = socket.getInputStream();
            String headAnswer = RawHttp.readHead(in);
            String getAnswer = RawHttp.readHead(in);

            assertThat(RawHttp.header(headAnswer, "Content-Length")).contains(String.valueOf(RecordingBackend.BODY.length()));
            assertThat(getAnswer).startsWith("HTTP/1.1 200 ");
            assertThat(RawHttp.readBody(in, RecordingBackend.BODY.length())).isEqualTo(RecordingBackend.BODY);
        }
    }

    @Test
    void aBackendConnectionThatSentBytesBeyondItsResponseIsNotReused() throws IOException {
        try (var backend = new RecordingBackend(); var floor = start(backend); var socket = connect(floor)) {
            InputStream in = socket.getInputStream();
            for (String path : new String[] {RecordingBackend.STRAY, "/items/42"}) {
                write(socket, GET.replace("/items/42", path));
                assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 200 ");
                assertThat(RawHttp.readBody(in, RecordingBackend.BODY.length())).isEqualTo(RecordingBackend.BODY);
            }

            assertThat(backend.received()).extracting(RecordingBackend.Received::connection).containsExactly(1, 2);
        }
    }
}
