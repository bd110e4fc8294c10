package dev.strangler.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client receives for a backend's response head, byte for byte, over both backend clients:
 * the lean one ({@code LeanPool}) and Vert.x's {@code HttpClient}. The backend is a raw socket
 * ({@link ScriptedBackend}) that writes each case's exact bytes, so hop-by-hop headers, case,
 * order, repetition, framing and malformed heads are what the wire carried, not what an HTTP
 * library made of them.
 *
 * <p>The lean path is chosen per JVM ({@code -Dstrangler.lean-backend}), read when a gateway's
 * verticle starts; each case is run against two gateways, one started with the switch on and one
 * with it off, so both clients are pinned in every test run whatever the JVM's own setting (the
 * cases where the two differ today show that each gateway runs the client it is named for).
 *
 * <p>Where Netty's decoder (under both clients) is lenient with a malformed head, the case pins what
 * it does today and says so: the point is that both clients keep doing the same thing.
 */
class BackendResponseHeadTest {
    /** How the client asks: the method and version, and whether it sends {@code Connection: close}. */
    enum Ask {
        GET("GET", "HTTP/1.1", ""),
        HEAD("HEAD", "HTTP/1.1", ""),
        GET_1_0("GET", "HTTP/1.0", ""),
        GET_CLOSE("GET", "HTTP/1.1", "Connection: close\r\n"),
        GET_1_0_KEEP_ALIVE("GET", "HTTP/1.0", "Connection: keep-alive\r\n");

        final String method;
        final String version;
        final String extra;

        Ask(String method, String version, String extra) {
            this.method = method;
            this.version = version;
            this.extra = extra;
        }
    }

    /**
     * One backend answer and what the client gets for it.
     *
     * @param behaviour         the test's name: what the gateway does
     * @param answer            the backend's exact bytes
     * @param backendCloses     whether the backend closes the connection after them (a close-delimited body, a cut head)
     * @param expected          the client's exact bytes over the lean client ({@code {id}} stands for the request id)
     * @param expectedOverVertx the same over Vert.x's client, where it differs today
     */
    record Case(String behaviour, Ask ask, String answer, boolean backendCloses, String expected, String expectedOverVertx) {
        Case overVertx(String differently) {
            return new Case(behaviour, ask, answer, backendCloses, expected, differently);
        }

        String expectedOver(BackendClient client) {
            return client == BackendClient.LEAN ? expected : expectedOverVertx;
        }

        @Override
        public String toString() {
            return behaviour;
        }
    }

    private static final Map<String, Case> BY_PATH = new ConcurrentHashMap<>();
    private static ScriptedBackend backend;
    private static final Map<BackendClient, GatewayInFront> GATEWAYS = new EnumMap<>(BackendClient.class);

    @BeforeAll
    static void start() throws Exception {
        List<Case> cases = cases();
        for (int i = 0; i < cases.size(); i++) BY_PATH.put(path(i), cases.get(i));
        backend = ScriptedBackend.start(c -> {
            while (true) {
                String head = c.readHead();
                Case answering = BY_PATH.get(head.split(" ", 3)[1]);
                c.write(answering.answer());
                if (answering.backendCloses()) {
                    c.close();
                    return;
                }
            }
        });
        for (BackendClient client : BackendClient.values()) GATEWAYS.put(client, client.start(() -> GatewayInFront.of(backend.url(), List.of())));
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayInFront g : GATEWAYS.values()) g.close();
        backend.close();
    }

    private static String path(int i) {
        return "/case/" + i;
    }

    static Stream<Arguments> casesOverBothClients() {
        List<Case> cases = cases();
        List<Arguments> all = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            for (BackendClient client : BackendClient.values()) all.add(Arguments.of(cases.get(i), client, i));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("casesOverBothClients")
    void theClientReceivesTheBackendsHeadAsPinned(Case c, BackendClient client, int index) throws Exception {
        String received = exchange(GATEWAYS.get(client), c.ask(), path(index));

        assertThat(received).as(c.behaviour()).isEqualTo(c.expectedOver(client).replace("{id}", "req-" + index));
    }

    /** Sends the case's request on a new connection and returns every byte of the answer (interim heads too). */
    private static String exchange(GatewayInFront g, Ask ask, String path) throws Exception {
        try (Socket client = g.connect()) {
            String id = "req-" + path.substring(path.lastIndexOf('/') + 1);
            GatewayInFront.write(client, ask.method + " " + path + " " + ask.version + "\r\nHost: shop\r\nX-Request-Id: " + id
                    + "\r\n" + ask.extra + "\r\n");
            return readResponse(client, ask);
        }
    }

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");
    private static final Pattern CHUNKED = Pattern.compile("(?i)\r\ntransfer-encoding: *chunked\r\n");

    /**
     * Reads interim heads, then the final head and its body as the client must frame it: none (HEAD,
     * 204, 304), its Content-Length, chunked through the last chunk, or else up to the close.
     */
    private static String readResponse(Socket client, Ask ask) throws IOException {
        StringBuilder all = new StringBuilder();
        String head;
        int status;
        do {
            head = GatewayInFront.readHead(client);
            all.append(head);
            Matcher m = STATUS.matcher(head);
            status = m.find() ? Integer.parseInt(m.group(1)) : 0;
        } while (status >= 100 && status < 200);
        if (ask == Ask.HEAD || status == 204 || status == 304) return all.toString();
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (length.find()) return all.append(GatewayInFront.readBytes(client, Integer.parseInt(length.group(1)))).toString();
        if (CHUNKED.matcher(head).find()) return all.append(GatewayInFront.readUntil(client, t -> t.equals("0\r\n\r\n") || t.endsWith("\r\n0\r\n\r\n"))).toString();
        return all.append(GatewayInFront.readToClose(client, java.time.Duration.ofSeconds(5))).toString();
    }

    /** What a head that cannot be read is answered with, over both clients. */
    private static final String PROBLEM = "HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/problem+json\r\nX-Request-Id: {id}\r\n"
            + "content-length: 221\r\n\r\n{\"type\":\"https://strangler.dev/problems/backend-failed\",\"title\":\"Bad Gateway\",\"status\":502,"
            + "\"detail\":\"the monolith failed before answering (request id {id})\",\"route\":\"_unrouted\",\"backend\":\"monolith\","
            + "\"requestId\":\"{id}\"}";

    private static Case pin(String behaviour, String answer, String expected) {
        return new Case(behaviour, Ask.GET, answer, false, expected, expected);
    }

    private static Case pin(String behaviour, Ask ask, String answer, boolean backendCloses, String expected) {
        return new Case(behaviour, ask, answer, backendCloses, expected, expected);
    }

    static List<Case> cases() {
        String big = "v".repeat(9000);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) many.append("X-Many-").append(i).append(": ").append("m".repeat(40)).append("\r\n");
        return List.of(
                // hop-by-hop headers
                pin("connectionAndKeepAliveFromTheBackendAreDropped",
                        "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("teTrailerAndUpgradeAreDropped",
                        "HTTP/1.1 200 OK\r\nTE: trailers\r\nTrailer: X-Sum\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("proxyHeadersOfTheHopAreDroppedButProxyStatusIsKept",
                        "HTTP/1.1 200 OK\r\nProxy-Connection: keep-alive\r\nProxy-Authenticate: Basic\r\nProxy-Authorization: Basic eA==\r\n"
                                + "Proxy-Status: cache; hit\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nProxy-Status: cache; hit\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("http2SettingsIsDropped", "HTTP/1.1 200 OK\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("hopByHopNamesAreDroppedInAnyCase",
                        "HTTP/1.1 200 OK\r\nCONNECTION: Keep-Alive\r\nkeep-ALIVE: timeout=5\r\nte: trailers\r\nTRAILER: X-Sum\r\nupgrade: h2c\r\n"
                                + "Content-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("headersTheConnectionHeaderNamesAreDropped",
                        "HTTP/1.1 200 OK\r\nConnection: X-Internal, x-other\r\nX-Internal: 1\r\nX-Kept: 2\r\nX-Other: 3\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Kept: 2\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("connectionTokensMatchNamesWhateverTheCaseAndEmptyTokensAreIgnored",
                        "HTTP/1.1 200 OK\r\nConnection: , X-INTERNAL ,,keep-alive\r\nx-internal: 1\r\nX-Kept: 2\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Kept: 2\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                // Every Connection line names headers to drop: together they are one list (RFC 9110 §5.3; SeveralConnectionLinesTest).
                // Before, only the first was read (MultiMap.get), and X-B reached the client.
                pin("everyConnectionLineNamesHeadersToDrop",
                        "HTTP/1.1 200 OK\r\nConnection: X-A\r\nConnection: X-B\r\nX-A: 1\r\nX-B: 2\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("aBackendsConnectionCloseStaysOnItsHop",
                        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                // Content-Length frames this hop's message: it is never taken as a connection option (ConnectionNamedFramingTest).
                // Before, it was dropped, and over Vert.x's client the body was lost (content-length: 0).
                pin("aContentLengthTheConnectionHeaderNamesIsKeptWithTheBody",
                        Ask.GET, "HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 2\r\n\r\nok", false,
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                // order, repetition, case, values
                pin("repeatedHeadersAreKeptInTheirOrderAmongTheOthers",
                        "HTTP/1.1 200 OK\r\nX-Multi: 1\r\nX-Other: a\r\nx-multi: 2\r\nX-MULTI: 3\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Multi: 1\r\nX-Other: a\r\nx-multi: 2\r\nX-MULTI: 3\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("everySetCookieLineIsKeptApartAndInOrder",
                        "HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\nset-cookie: c=3, d=4\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\nset-cookie: c=3, d=4\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("anEmptyValueIsKept", "HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Blank:   \r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Empty: \r\nX-Blank: \r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("namesKeepTheirCase", "HTTP/1.1 200 OK\r\nx-lower: 1\r\nX-UPPER: 2\r\nX-MiXeD: 3\r\ncontent-type: text/plain\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nx-lower: 1\r\nX-UPPER: 2\r\nX-MiXeD: 3\r\ncontent-type: text/plain\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("valuesAreTrimmedAtTheEndsOnly", "HTTP/1.1 200 OK\r\nX-Pad: \t a  b \t \r\nX-Quoted: \"a, b\", c\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Pad: a  b\r\nX-Quoted: \"a, b\", c\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("theBackendsRequestIdIsReplacedByTheRequestsOwn",
                        "HTTP/1.1 200 OK\r\nX-Request-Id: from-backend\r\nx-request-id: again\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                // status line
                pin("aCustomReasonPhraseIsRelayed", "HTTP/1.1 200 Fine Thanks\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 Fine Thanks\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("aStandardReasonIsRelayed", "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nno"),
                pin("anUnknownStatusIsRelayedWithItsReason", "HTTP/1.1 599 Whatever Happened\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 599 Whatever Happened\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("aStatusLineWithoutAReasonIsRelayed", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 \r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("anHttp10BackendIsAnsweredAsHttp11", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                // framing
                pin("aContentLengthIsKept", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Request-Id: {id}\r\n\r\nhello"),
                pin("aZeroContentLengthIsKept", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Request-Id: {id}\r\n\r\n"),
                pin("aChunkedBodyIsChunkedToAnHttp11Client",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
                pin("aChunkedBodyWithTrailersLosesThemAndStaysChunked",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                // Netty drops a Content-Length sent with chunking (RFC 9112 §6.3): the body is chunked on.
                pin("aContentLengthBesideChunkingIsDropped",
                        "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                pin("aCloseDelimitedBodyIsChunkedToAnHttp11Client", Ask.GET, "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nuntil the end", true,
                        "HTTP/1.1 200 OK\r\nX-A: 1\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\nd\r\nuntil the end\r\n0\r\n\r\n"),
                pin("anHttp10ClientGetsAChunkedBodyCloseDelimited", Ask.GET_1_0,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", false,
                        "HTTP/1.0 200 OK\r\nX-Request-Id: {id}\r\nconnection: close\r\n\r\nhello"),
                pin("anHttp10ClientGetsTheContentLength", Ask.GET_1_0, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false,
                        "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("aNoContentAnswerIsNotChunked", "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n",
                        "HTTP/1.1 204 No Content\r\nX-A: 1\r\nX-Request-Id: {id}\r\n\r\n"),
                pin("aNotModifiedAnswerIsNotChunked", "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n",
                        "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nX-Request-Id: {id}\r\n\r\n"),
                pin("aHeadAnswerKeepsItsContentLengthWithoutABody", Ask.HEAD, "HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", false,
                        "HTTP/1.1 200 OK\r\nContent-Length: 42\r\nX-Request-Id: {id}\r\n\r\n"),
                pin("aHeadAnswerWithoutALengthIsNotChunked", Ask.HEAD, "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\n", false,
                        "HTTP/1.1 200 OK\r\nX-A: 1\r\nX-Request-Id: {id}\r\n\r\n"),
                pin("aClientsConnectionCloseIsAnsweredWithConnectionClose", Ask.GET_CLOSE,
                        "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", false,
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\nconnection: close\r\n\r\nok"),
                // interim responses
                pin("earlyHintsAreRelayedWithoutTheirHopByHopHeaders",
                        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nLink: </b.js>; rel=preload\r\nConnection: X-Hint\r\nX-Hint: 1\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nLink: </b.js>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("aContinueIsDroppedAndItsHeadersReachNoOne",
                        "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("processingIsDropped", "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                // malformed heads: Netty's decoder is lenient with some (pinned as it is)
                pin("aHeaderNameWithAControlCharacterFailsTheHead",
                        "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nX-Bad\u0001Name: v\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("aHeaderNameWithASeparatorFailsTheHead",
                        "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nX(Bad): v\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("aHeaderValueWithAControlCharacterFailsTheHead",
                        "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nX-Val: a\u0001b\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("aLineWithoutAColonFailsTheHead", "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nNoColonHere\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                // Lenient: an obs-fold continuation line is joined to the value before it.
                pin("anObsFoldedValueIsJoinedWithASpace", "HTTP/1.1 200 OK\r\nX-Folded: one\r\n  two\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Folded: one two\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                // Lenient on responses: the space before the colon is dropped.
                pin("aSpaceBeforeTheColonIsDropped", "HTTP/1.1 200 OK\r\nX-Spaced : v\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nX-Spaced: v\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("aHeaderPastTheSizeLimitFailsTheHead",
                        "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nX-Big: " + big + "\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("headersPastTheSizeLimitTogetherFailTheHead",
                        "HTTP/1.1 200 OK\r\nX-Leak: 1\r\n" + many + "Content-Length: 2\r\n\r\nok", PROBLEM),
                pin("aStatusLinePastItsLimitFailsTheHead", "HTTP/1.1 200 " + "R".repeat(5000) + "\r\nX-Leak: 1\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("aStatusThatIsNoNumberFailsTheHead", "HTTP/1.1 abc OK\r\nX-Leak: 1\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("anUnknownVersionFailsTheHead", "HTTP/1.10 200 OK\r\nX-Leak: 1\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                // The version's name is case-sensitive (RFC 9112 §2.3). Before, Netty's decoder read it under the lean client,
                // and only Vert.x's client refused it.
                pin("aLowerCaseVersionFailsTheHead", "http/1.1 200 OK\r\nX-Leak: 1\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("garbageFailsTheHead", "NOT HTTP AT ALL\r\nX-Leak: 1\r\n\r\n", PROBLEM),
                // Lenient: empty lines before the status line are skipped.
                pin("emptyLinesBeforeTheStatusLineAreSkipped", "\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: {id}\r\n\r\nok"),
                pin("aHeadCutOffByTheBackendsCloseLeaksNothing", Ask.GET, "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nX-Le", true, PROBLEM),
                pin("aHeadCutOffBeforeItsBlankLineLeaksNothing", Ask.GET, "HTTP/1.1 200 OK\r\nX-Leak: 1\r\n", true, PROBLEM),
                // Appended last, so the request ids (and the problem's length) of the cases above stay as they are.
                pin("anHttp10KeepAliveClientGetsAChunkedBodyEndedByTheClose", Ask.GET_1_0_KEEP_ALIVE,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", false,
                        "HTTP/1.0 200 OK\r\nX-Request-Id: {id}\r\nconnection: close\r\n\r\nhello"),
                pin("anHttp10KeepAliveClientGetsACloseDelimitedBodyEndedByTheClose", Ask.GET_1_0_KEEP_ALIVE,
                        "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nhello", true,
                        "HTTP/1.0 200 OK\r\nX-A: 1\r\nX-Request-Id: {id}\r\nconnection: close\r\n\r\nhello"),
                pin("anHttp10KeepAliveClientGetsAKnownLength", Ask.GET_1_0_KEEP_ALIVE,
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false,
                        "HTTP/1.0 200 OK\r\nContent-Length: 5\r\nX-Request-Id: {id}\r\nconnection: keep-alive\r\n\r\nhello"),
                // The lean client reads heads itself (ResponseReader), strictly (RFC 9112). Netty's decoder, under Vert.x's client
                // (and the lean one before), reads these two: the first loses its gzip coding with the hop-by-hop header.
                pin("aCodingBeforeChunkedFailsTheHeadAsItWouldBeLost",
                        "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", PROBLEM)
                        .overVertx("HTTP/1.1 200 OK\r\nX-Leak: 1\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                pin("aTransferEncodingOnAnHttp10ResponseFailsTheHead",
                        "HTTP/1.0 200 OK\r\nX-Leak: 1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", PROBLEM)
                        .overVertx("HTTP/1.1 200 OK\r\nX-Leak: 1\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                // As before, over both clients (Netty's decoder refuses these heads too, and drops chunk extensions):
                pin("aSignedContentLengthFailsTheHead", "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nContent-Length: +2\r\n\r\nok", PROBLEM),
                pin("aBareLfEndingAFieldLineFailsTheHead", "HTTP/1.1 200 OK\r\nX-Leak: 1\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("whitespaceBeforeTheFirstFieldFailsTheHead", "HTTP/1.1 200 OK\r\n X-Leak: 1\r\nContent-Length: 2\r\n\r\nok", PROBLEM),
                pin("chunkExtensionsAreDropped",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a=b\r\nok\r\n0;x=\"1;2\"\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nX-Request-Id: {id}\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                pin("twoEqualContentLengthsFailTheHead", "HTTP/1.1 200 OK\r\nX-Leak: 1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", PROBLEM));
    }
}
