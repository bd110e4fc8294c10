package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.strangler.core.http.Rejection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard's state machine on its own (Netty's in-memory channel): what it passes to the decoder
 * for each way the bytes may be split into reads. The wire behaviour is in {@code StrictParsingTest}.
 */
class FramingGuardTest {
    private static final String PIPELINED = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nT: 1\r\n\r\n"
            + "\r\nGET /c HTTP/1.0\r\n\r\n";

    private final EmbeddedChannel channel = new EmbeddedChannel(new FramingGuard());

    private void read(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    private String passedOn() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readInbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    /** What the guard tells the request handler about the connection's next {@code requests} requests, in order. */
    private List<String> answersForRequests(int requests) {
        FramingGuard guard = channel.attr(FramingGuard.KEY).get();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Rejection r = guard.refusalOfNextRequest();
            answers.add(r == null ? "forward" : r.status() + " " + r.code().label());
        }
        return answers;
    }

    @Test
    void wellFramedPipelinedRequestsPassUnchangedInOneRead() {
        read(PIPELINED);
        assertThat(passedOn()).isEqualTo(PIPELINED);
        assertThat(answersForRequests(3)).containsOnly("forward");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void wellFramedPipelinedRequestsPassUnchangedOneByteAtATime() {
        StringBuilder out = new StringBuilder();
        for (char c : PIPELINED.toCharArray()) {
            read(String.valueOf(c));
            out.append(passedOn());
        }
        assertThat(out.toString()).isEqualTo(PIPELINED);
    }

    @Test
    void aHeadIsHeldBackUntilItIsCompleteAndJudged() {
        read("GET /x HTTP/1.1\r\nHost: a\r\n");
        assertThat(passedOn()).isEmpty();
        read("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n");
        String out = passedOn();
        assertThat(out).startsWith("GET /x HTTP/1.1\r\n").doesNotContain("chunked", "X-Strangler");
        assertThat(answersForRequests(1)).containsExactly("400 content-length-with-transfer-encoding");
    }

    @Test
    void theRequestsBeforeARefusedOneStillGoOutAndNothingAfterIt() {
        read("GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nGET /after HTTP/1.1\r\n\r\n");
        String out = passedOn();
        assertThat(out).startsWith("GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\n")
                .doesNotContain("/after", "Transfer-Encoding");
        assertThat(answersForRequests(2)).containsExactly("forward", "501 unknown-transfer-coding");
        read("GET /later HTTP/1.1\r\n\r\n");
        assertThat(passedOn()).isEmpty();
    }

    @Test
    void aBadChunkInTheSameReadAsItsHeadIsRefusedBeforeAnythingGoesOut() {
        read("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n");
        assertThat(passedOn()).startsWith("POST /x HTTP/1.1\r\n").doesNotContain("hello");
        assertThat(answersForRequests(1)).containsExactly("400 bad-chunk");
        assertThat(channel.isOpen()).isTrue(); // the refusal is answered, then the gateway closes
    }

    @Test
    void aBadChunkAfterTheHeadWentOutClosesTheConnection() {
        read("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        assertThat(passedOn()).endsWith("5\r\nhello\r\n");
        read("+5\r\nworld\r\n0\r\n\r\n");
        assertThat(passedOn()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theHttp2PrefaceHandsTheConnectionToHttp2() {
        String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        read(preface + "\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000");
        assertThat(passedOn()).isEqualTo(preface + "\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000");
    }

    @Test
    void afterAnUpgradeThatWasRefusedTheConnectionIsStillGuarded() {
        read("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        assertThat(passedOn()).startsWith("GET /ws");
        read("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertThat(passedOn()).as("held until the answer shows whether the protocol switched").isEmpty();
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        assertThat(passedOn()).startsWith("POST /x HTTP/1.1\r\n");
        assertThat(answersForRequests(2)).containsExactly("forward", "400 content-length-with-transfer-encoding");
    }

    /** RFC 9112 §6.3: zero in any number of digits is no body, so what follows is the next protocol's, or the next request. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "00", "000"})
    void anUpgradeRequestWhoseLengthIsZeroInAnyNumberOfDigitsAwaitsItsSwitchAtOnce(String zero) {
        read("GET /ws HTTP/1.1\r\nHost: a\r\nContent-Length: " + zero + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                + "GET /x HTTP/1.1\r\n");
        assertThat(passedOn()).as("the head alone: no byte after it taken for a body").endsWith("Connection: Upgrade\r\n\r\n");
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        assertThat(passedOn()).isEqualTo("GET /x HTTP/1.1\r\n");
    }

    @Test
    void anUpgradeRequestWithABodyAnsweredBeforeItsBodyEndsHoldsNothingAfterIt() {
        // Proxied as a plain request (no tunnel): a backend may answer before reading the body.
        read("POST /up HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 4\r\n\r\nab");
        assertThat(passedOn()).startsWith("POST /up");
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        read("cdGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(passedOn()).as("the rest of the body and the next request, not held for an answer already sent")
                .isEqualTo("cdGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(answersForRequests(2)).containsOnly("forward");
    }

    @Test
    void anUpgradeRequestWithABodyAnsweredWithASwitchAfterItsBodyHandsTheConnectionOver() {
        // Vert.x's own h2c upgrade takes a connection's first request with its body (Java's HttpClient sends one).
        read("POST /up HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nContent-Length: 2\r\n\r\nab");
        assertThat(passedOn()).startsWith("POST /up");
        read("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        assertThat(passedOn()).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    }

    private void answer(String statusLine) {
        channel.writeOutbound(Unpooled.copiedBuffer(statusLine + "\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
    }

    @Test
    void anUpgradePipelinedBehindAnotherRequestIsSwitchedByItsOwnAnswerNotTheEarlierOne() {
        read("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                + "\u0081\u0085frame");
        assertThat(passedOn()).startsWith("GET /a ").endsWith("Connection: Upgrade\r\n\r\n");
        answer("HTTP/1.1 200 OK");
        assertThat(passedOn()).as("/a's answer is not the upgrade's: still held").isEmpty();
        answer("HTTP/1.1 101 Switching Protocols");
        assertThat(passedOn()).isEqualTo("\u0081\u0085frame");
        read("more\n");
        assertThat(passedOn()).isEqualTo("more\n");
    }

    @Test
    void anUpgradePipelinedBehindAnotherRequestAndDeclinedResumesHttpAfterItsOwnAnswer() {
        read("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
        passedOn();
        answer("HTTP/1.1 200 OK");
        assertThat(passedOn()).isEmpty();
        answer("HTTP/1.1 426 Upgrade Required");
        assertThat(passedOn()).isEqualTo("GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(answersForRequests(3)).containsOnly("forward");
    }

    @Test
    void interimAnswersBeforeTheSwitchAreNotTakenForIt() {
        read("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081frame");
        passedOn();
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n", StandardCharsets.US_ASCII));
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 100 Continue\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        assertThat(passedOn()).isEmpty();
        answer("HTTP/1.1 101 Switching Protocols");
        assertThat(passedOn()).isEqualTo("\u0081frame");
    }

    @Test
    void anEarlierRequestsAnswerWrittenDuringAnUpgradeRequestsBodyIsNotTakenForTheUpgradesAnswer() {
        read("GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /up HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nContent-Length: 2\r\n\r\na");
        passedOn();
        answer("HTTP/1.1 200 OK"); // /a's, while /up's body is still coming
        read("bPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertThat(passedOn()).as("the rest of the body; the preface is held for /up's answer").isEqualTo("b");
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        assertThat(passedOn()).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    }

    @Test
    void afterASwitchToAnotherProtocolTheBytesPassUntouched() {
        read("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        passedOn();
        read("\u0081\u0085frame bytes, not HTTP\n");
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        assertThat(passedOn()).isEqualTo("\u0081\u0085frame bytes, not HTTP\n");
        read("more\n");
        assertThat(passedOn()).isEqualTo("more\n");
    }

    @Test
    void aHeadTooLargeToJudgeIsLeftToTheDecoderWhichRefusesIt() {
        String big = "GET /x HTTP/1.1\r\nX-Big: " + "a".repeat(FramingGuard.MAX_HEAD_BYTES) + "\r\n\r\n";
        read(big);
        assertThat(passedOn()).isEqualTo(big);
    }
}
