package dev.strangler.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strangler.gateway.observe.Outcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend that refuses an upload on sight (RFC 9112 §9.5: a client sending a body watches for an
 * early error response): it reads the request's head, answers 403 and resets the connection without
 * reading the body. The 403 reaches the gateway just before the reset, while the gateway is still
 * writing the body, so its next write fails. Netty's auto-close then closed the backend channel on
 * that write failure before the 403, already in the socket's receive buffer, was read: the user got
 * a 502 instead of the backend's answer. And when the 403 was read, the exchange was logged
 * {@code 0 client-aborted}: dropping the unwanted rest of the upload was taken for the client's
 * failure. Seen first on Tomcat ({@code ServletBackendTest}), which closes rather than swallow a body
 * over 2 MB. The test repeats the race, which the gateway must win every time.
 */
class EarlyRefusalTest {
    static final int ROUNDS = 30;
    static final int UPLOAD_BYTES = 8 * 1024 * 1024;
    private static final String REFUSAL_BODY = "uploads are closed";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUploadRefusedBeforeItsBodyWasReadGetsTheBackendsAnswerEveryTime() throws Exception {
        try (RefusingBackend backend = RefusingBackend.start(refusal("Connection: close\r\n"));
             var g = GatewayInFront.of(backend.url(), List.of())) {
            for (int round = 1; round <= ROUNDS; round++) {
                RawResponse r = upload(g, "/orders/" + round);
                assertThat(r.status()).as("round %d: %s", round, r.head()).isEqualTo(403);
                assertThat(r.bodyText()).as("round %d", round).isEqualTo(REFUSAL_BODY);

                Outcome outcome = g.nextOutcome();
                assertThat(outcome.status()).as("round %d: %s", round, outcome).isEqualTo(403);
                assertThat(outcome.failure()).as("round %d: %s", round, outcome).isEmpty();
                assertThat(outcome.fallback()).as("round %d", round).isEmpty();
                JsonNode line = JSON.readTree(CapturedLog.accessLogLineOf(outcome));
                assertThat(line.get("status").asInt()).as("round %d: %s", round, line).isEqualTo(403);
                assertThat(line.has("error")).as("round %d: %s", round, line).isFalse();
            }
            assertThat(backend.firstRequestLines()).as("one connection per refused upload").hasSize(ROUNDS);
        }
    }

    /** A 403 with its body and the given extra header lines, as the backend writes it. */
    static String refusal(String extraLines) {
        return "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: " + REFUSAL_BODY.length() + "\r\n"
                + extraLines + "\r\n" + REFUSAL_BODY;
    }

    /** Sends a {@link #UPLOAD_BYTES} PUT to {@code path} on a connection of its own and reads the answer. */
    static RawResponse upload(GatewayInFront g, String path) throws Exception {
        try (Socket client = g.connect()) {
            InputStream in = RawResponse.reader(client);
            Thread sender = startUpload(client, path);
            try {
                return RawResponse.read(in, false);
            } finally {
                client.close();
                sender.join(10_000);
            }
        }
    }

    /**
     * Starts writing a {@link #UPLOAD_BYTES} PUT to {@code path} on {@code client}, on a thread of its own,
     * which gives up quietly when the gateway stops reading.
     */
    static Thread startUpload(Socket client, String path) {
        return Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = client.getOutputStream();
                out.write(("PUT " + path + " HTTP/1.1\r\nHost: shop\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + UPLOAD_BYTES + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                byte[] part = new byte[64 * 1024];
                for (int sent = 0; sent < UPLOAD_BYTES; sent += part.length) out.write(part);
            } catch (IOException e) {
                // the gateway closes once the answer is sent: not what is judged here
            }
        });
    }
}
