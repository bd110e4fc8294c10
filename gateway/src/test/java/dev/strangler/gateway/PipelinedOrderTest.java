package dev.strangler.gateway;

import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelined requests (RFC 9112 §9.3.2) are answered in the order they came, whichever server path
 * reads each: the gateway's own one takes plain bodiless HTTP/1.1 requests and Vert.x's takes the rest
 * (a body, HTTP/1.0), so a connection may start on one and go on on the other. Run over both paths
 * (surefire runs this class again with {@code -Dstrangler.own-server=false}). The backend answers each
 * request with its target as the body, and {@code /slow} late, to give a later answer every chance to
 * overtake it.
 */
class PipelinedOrderTest {

    @Test
    void aSlowBodilessAnswerIsNotOvertakenByAPipelinedUploadBehindIt() throws Exception {
        try (var backend = ScriptedBackend.start(echoingTargets());
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            List<String> bodies = bodiesOf(readToClose(client, Duration.ofSeconds(10)));
            assertThat(bodies).containsExactly("/slow", "/upload", "/last");
        }
    }

    @Test
    void bodilessRequestsOnEitherSideOfAnUploadAreAnsweredInOrderAndTheConnectionGoesOn() throws Exception {
        try (var backend = ScriptedBackend.start(echoingTargets());
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "HEAD /head HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            String first = GatewayInFront.readUntil(client, t -> bodiesOf(t).size() == 5 && t.endsWith("/after"));
            // HEAD's answer has no body: five bodies for six answers, in the order asked.
            assertThat(bodiesOf(first)).containsExactly("/slow", "/slow", "/upload", "/slow", "/after");
            assertThat(statusLines(first)).hasSize(6);
            write(client, "GET /again HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(bodiesOf(readToClose(client, Duration.ofSeconds(10)))).containsExactly("/again");
        }
    }

    @Test
    void anHttp10RequestBetweenBodilessOnesIsAnsweredInItsTurn() throws Exception {
        try (var backend = ScriptedBackend.start(echoingTargets());
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /old HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String all = readToClose(client, Duration.ofSeconds(10));
            assertThat(bodiesOf(all)).containsExactly("/slow", "/old", "/last");
            assertThat(statusLines(all)).containsExactly("HTTP/1.1 200 OK", "HTTP/1.0 200 OK", "HTTP/1.1 200 OK");
        }
    }

    @Test
    void bodilessDeletesAndOptionsBeforeAnOptionsStarAreAnsweredInOrder() throws Exception {
        try (var backend = ScriptedBackend.start(echoingTargets());
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            // The own path takes the first two; OPTIONS * (the gateway's own answer, no body) is Vert.x's, with what follows.
            write(client, "DELETE /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "OPTIONS /options HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "DELETE /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String all = readToClose(client, Duration.ofSeconds(10));
            assertThat(bodiesOf(all)).containsExactly("/slow", "/options", "/last");
            assertThat(statusLines(all)).hasSize(4);
            assertThat(all.split("HTTP/1\\.1 200 OK\r\n", -1)[3]).containsIgnoringCase("allow: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS\r\n");
        }
    }

    @Test
    void anAnswerWithoutALengthIsChunkedForAnHttp11ClientAndThePipelinedNextOneFollowsIt() throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 String head = c.readHead();
                 if (head.startsWith("GET /until-close ")) {
                     c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nno length here");
                     c.close();
                     return;
                 }
                 c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nnext!");
             });
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /until-close HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String all = readToClose(client, Duration.ofSeconds(10));
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n");
            int firstBody = all.indexOf("\r\n\r\n") + 4;
            assertThat(all.substring(0, firstBody).toLowerCase()).contains("transfer-encoding: chunked\r\n").doesNotContain("content-length");
            assertThat(all.substring(firstBody)).startsWith("e\r\nno length here\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nnext!");
        }
    }

    @Test
    void aHeadAnswerCarriesTheLengthButNoBodyAndTheNextAnswerFollowsAtOnce() throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("twelve bytes"));
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "HEAD /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String all = readToClose(client, Duration.ofSeconds(10));
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n");
            int firstEnd = all.indexOf("\r\n\r\n") + 4;
            assertThat(all.substring(0, firstEnd).toLowerCase()).contains("content-length: 12\r\n");
            assertThat(all.substring(firstEnd)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\ntwelve bytes");
        }
    }

    /**
     * Answers every request on a kept-alive connection with its target as the body, after reading
     * its body ({@code Content-Length} only); {@code /slow} after a pause.
     */
    private static ScriptedBackend.Script echoingTargets() {
        return c -> {
            while (true) {
                String head = c.readHead();
                Matcher length = CONTENT_LENGTH.matcher(head);
                c.readBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                // Not a wait for time to judge by: a late answer gives a later one the chance to overtake it.
                if (target.equals("/slow")) Thread.sleep(150);
                String body = head.startsWith("HEAD ") ? "" : target;
                c.write("HTTP/1.1 200 OK\r\nContent-Length: " + target.length() + "\r\n\r\n" + body);
            }
        };
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] \\d{3} [^\r]*");

    /** The bodies of the responses in {@code text} that have one, in order: what follows each head, up to the next status line. */
    private static List<String> bodiesOf(String text) {
        List<String> bodies = new ArrayList<>();
        for (String part : text.split("\r\n\r\n", -1)) {
            Matcher next = STATUS_LINE.matcher(part);
            String body = next.find() ? part.substring(0, next.start()) : part;
            if (!body.isEmpty() && !body.startsWith("HTTP/1.")) bodies.add(body);
        }
        return bodies;
    }

    private static List<String> statusLines(String text) {
        List<String> lines = new ArrayList<>();
        for (Matcher m = STATUS_LINE.matcher(text); m.find(); ) lines.add(m.group());
        return lines;
    }
}
