package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 item 1: a request without a body reaches the backend without any body framing. */
class ExchangeFramingTest {

    @Test
    void bodylessGetsAndHeadsReachTheBackendAsBareHeadsOnOneKeptAliveConnection() throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /a HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            write(client, "HEAD /b HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            write(client, "DELETE /c HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");

            ScriptedBackend.Conversation c = backend.conversation(0);
            String received = c.received();
            assertThat(received.toLowerCase()).doesNotContain("transfer-encoding").doesNotContain("content-length");
            // Three heads and nothing else: every request ends at its blank line, no "0\r\n\r\n" after it.
            assertThat(List.of(received.split("\r\n\r\n", -1))).hasSize(4).last().isEqualTo("");
            assertThat(received).startsWith("GET /a HTTP/1.1\r\n").contains("\r\n\r\nHEAD /b HTTP/1.1\r\n", "\r\n\r\nDELETE /c HTTP/1.1\r\n");
            assertThat(backend.conversations()).hasSize(1);
        }
    }

    @Test
    void aLiveRoutesBodylessGetKeptForAReplayStillReachesTheServiceAsABareHead() throws Exception {
        Route live = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.LIVE);
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(live), c -> c);
             Socket client = g.connect()) {
            write(client, "GET /api/posts/1 HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");

            String received = backend.conversation(0).received();
            assertThat(received.toLowerCase()).doesNotContain("transfer-encoding").doesNotContain("content-length");
            assertThat(received).startsWith("GET /api/posts/1 HTTP/1.1\r\n").endsWith("\r\n\r\n");
        }
    }

    @Test
    void anHttp2GetWithEndStreamOnItsHeadersReachesTheBackendWithoutBodyFraming() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), List.of())) {
            var h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
                int status = h2.request(method, g.gateway.port(), "127.0.0.1", "/h2")
                        .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(status).isEqualTo(200);
            }
            String received = backend.conversation(0).received();
            assertThat(received.toLowerCase()).doesNotContain("transfer-encoding").doesNotContain("content-length");
            assertThat(List.of(received.split("\r\n\r\n", -1))).hasSize(3).last().isEqualTo("");
            h2.close(); // used to the end: Vert.x shuts down a client that becomes unreachable, even mid-request
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGetThatUpgradesToH2cReachesTheBackendWithoutBodyFraming() throws Exception {
        // Vert.x's server turns the upgrading HTTP/1.1 request into stream 1, whose end (an empty data
        // frame) follows the head: no data came, so no framing goes out (it went out chunked, "0\r\n\r\n").
        Vertx vertx = Vertx.vertx();
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), List.of())) {
            var h2c = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(true));
            for (String path : List.of("/upgraded", "/then-h2")) {
                int status = h2c.request(HttpMethod.GET, g.gateway.port(), "127.0.0.1", path)
                        .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.version() == HttpVersion.HTTP_2 ? resp.statusCode() : -1)))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(status).as("answered over HTTP/2").isEqualTo(200);
            }
            String received = backend.conversation(0).received();
            assertThat(received).startsWith("GET /upgraded HTTP/1.1\r\n");
            assertThat(received.toLowerCase()).doesNotContain("transfer-encoding").doesNotContain("content-length")
                    .doesNotContain("upgrade:").doesNotContain("http2-settings");
            assertThat(List.of(received.split("\r\n\r\n", -1))).as("two bare heads").hasSize(3).last().isEqualTo("");
            h2c.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPythonHttpServerBehindTheGatewayAnswersEveryKeptAliveGetAndHead(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("index.txt"), "hello from python\n");
        // http.server speaks HTTP/1.1 keep-alive only when asked; it does not read GET bodies, so any
        // stray framing bytes would be parsed as the next request on the connection.
        Process python = startPython(root, """
                import http.server, functools, sys
                http.server.SimpleHTTPRequestHandler.protocol_version = 'HTTP/1.1'
                handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
                server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
                print(server.server_address[1], flush=True)
                server.serve_forever()
                """);
        try {
            int port = portOf(python);
            try (var g = GatewayInFront.of("http://127.0.0.1:" + port, List.of())) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                int errors = 0;
                for (int i = 0; i < 300; i++) {
                    String method = i % 3 == 0 ? "HEAD" : "GET";
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.gateway.port() + "/index.txt"))
                            .timeout(Duration.ofSeconds(5));
                    // GET() and HEAD() send neither Content-Length nor Transfer-Encoding: a request without a body.
                    try {
                        HttpResponse<String> r = http.send((method.equals("HEAD") ? b.HEAD() : b.GET()).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || (method.equals("GET") && !r.body().equals("hello from python\n"))) errors++;
                    } catch (java.io.IOException e) {
                        errors++; // a desynchronised backend connection shows as a hang or a reset
                    }
                }
                http.shutdownNow();
                assertThat(errors).as("requests not answered 200 with the file").isZero();
            }
            python.destroy();
            python.waitFor(5, TimeUnit.SECONDS);
            // What Python itself saw: 300 well-formed requests, and no stray bytes parsed as a bad request ("0").
            List<String> log = Files.readAllLines(root.resolve("python.log"));
            assertThat(log.stream().filter(l -> l.matches(".*\"(GET|HEAD) /index.txt HTTP/1.1\" 200 .*"))).hasSize(300);
            assertThat(log).noneMatch(l -> l.contains("code 400"));
        } finally {
            python.destroy();
            python.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void keptAliveGetsToAPythonBackendArriveAsBareHeadsOnOneConnection(@TempDir Path root) throws Exception {
        // Not Vert.x on the backend side: Python's http.server, recording the raw bytes it read on
        // each connection it accepted (one file per connection), so the wire is what is asserted.
        Process python = startPython(root, RECORDING_BACKEND, "hello from python");
        try {
            int port = portOf(python);
            int requests = 20;
            try (var g = GatewayInFront.of("http://127.0.0.1:" + port, List.of());
                 Socket client = g.connect()) {
                for (int i = 0; i < requests; i++) {
                    write(client, "GET /r/" + i + " HTTP/1.1\r\nHost: shop\r\n\r\n");
                    assertThat(readHead(client)).startsWith("HTTP/1.1 200");
                    assertThat(readBytes(client, 18)).isEqualTo("hello from python\n");
                }
            }
            List<Path> connections;
            try (var files = Files.list(root)) {
                connections = files.filter(f -> f.getFileName().toString().startsWith("connection-")).toList();
            }
            assertThat(connections).as("backend connections the gateway opened").hasSize(1);
            String received = Files.readString(connections.get(0), StandardCharsets.ISO_8859_1);
            assertThat(received.toLowerCase()).doesNotContain("transfer-encoding").doesNotContain("content-length");
            // Twenty heads and nothing else, in order: each request ends at its blank line.
            List<String> heads = List.of(received.split("\r\n\r\n", -1));
            assertThat(heads).hasSize(requests + 1).last().isEqualTo("");
            for (int i = 0; i < requests; i++) {
                assertThat(heads.get(i)).startsWith("GET /r/" + i + " HTTP/1.1\r\n").containsIgnoringCase("\r\nhost: shop");
            }
        } finally {
            python.destroy();
            python.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void onAShadowRouteAPythonMonolithGetsTheHeadOfAnUnroutedRequestAndThePythonServiceTheSameHeadMarkedAsACopy(
            @TempDir Path root) throws Exception {
        // The user's request on a shadow route goes to the monolith over the lean client while its answer
        // is teed into the comparison; the copy goes to the service. Messy client headers: a Host in mixed
        // case, a forwarding chain, hop-by-hop headers (one named by Connection), the client's request id.
        Path monolithDir = Files.createDirectory(root.resolve("monolith"));
        Path serviceDir = Files.createDirectory(root.resolve("service"));
        Process monolith = startPython(monolithDir, RECORDING_BACKEND, "from the monolith");
        Process service = startPython(serviceDir, RECORDING_BACKEND, "from the service");
        String headers = "Host: Shop.Example:8080\r\nX-Forwarded-For: 203.0.113.7\r\nConnection: keep-alive, X-Hop\r\n"
                + "X-Hop: secret\r\nTE: trailers\r\nX-Request-Id: client-chosen-1\r\nAccept: application/json\r\n\r\n";
        try {
            Route shadow = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.SHADOW);
            try (var g = GatewayInFront.of("http://127.0.0.1:" + portOf(monolith), "http://127.0.0.1:" + portOf(service),
                    List.of(shadow), c -> c);
                 Socket client = g.connect()) {
                write(client, "GET /api/posts/7 HTTP/1.1\r\n" + headers);
                assertThat(readHead(client)).startsWith("HTTP/1.1 200");
                assertThat(readBytes(client, 18)).isEqualTo("from the monolith\n");
                write(client, "GET /other/7 HTTP/1.1\r\n" + headers);
                assertThat(readHead(client)).startsWith("HTTP/1.1 200");
                assertThat(readBytes(client, 18)).isEqualTo("from the monolith\n");
                awaitHeads(serviceDir, 1);
            }
            List<String> toMonolith = heads(monolithDir);
            List<String> toService = heads(serviceDir);
            assertThat(toMonolith).hasSize(2);
            String onShadowRoute = toMonolith.get(0);
            String unrouted = toMonolith.get(1);
            assertThat(onShadowRoute.replace("GET /api/posts/7 ", "GET /other/7 ")).isEqualTo(unrouted);
            List<String> names = unrouted.lines().skip(1).map(l -> l.substring(0, l.indexOf(':')).toLowerCase()).toList();
            assertThat(names).doesNotContain("connection", "x-hop", "te", "content-length", "transfer-encoding")
                    .containsOnlyOnce("host", "x-forwarded-for", "x-request-id", "accept");
            assertThat(unrouted.lines()).contains("X-Forwarded-For: 203.0.113.7, 127.0.0.1", "X-Request-Id: client-chosen-1")
                    .anySatisfy(l -> assertThat(l).isEqualToIgnoringCase("host: Shop.Example:8080"));
            // the copy: the very head the monolith got, marked as a copy so the service can tell
            assertThat(toService).containsExactly(onShadowRoute + "\r\nX-Strangler-Shadow: true");
        } finally {
            monolith.destroy();
            service.destroy();
            monolith.waitFor(5, TimeUnit.SECONDS);
            service.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The request heads a recording backend received in {@code dir}, connection by connection, each without its blank line. */
    private static List<String> heads(Path dir) throws java.io.IOException {
        List<String> heads = new java.util.ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("connection-")).sorted().toList()) {
                String received = Files.readString(f, StandardCharsets.ISO_8859_1);
                assertThat(received).as("what %s received ends at a head's blank line", f.getFileName()).endsWith("\r\n\r\n");
                heads.addAll(List.of(received.substring(0, received.length() - 4).split("\r\n\r\n")));
            }
        }
        return heads;
    }

    /** Waits (up to 5 s) until the recording backend in {@code dir} has received {@code n} whole heads: a copy is sent on its own time. */
    private static void awaitHeads(Path dir, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            long whole;
            try (var files = Files.list(dir)) {
                whole = 0;
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("connection-")).toList())
                    whole += Files.readString(f, StandardCharsets.ISO_8859_1).split("\r\n\r\n", -1).length - 1;
            }
            if (whole >= n) return;
            assertThat(System.nanoTime()).as("%d heads at %s within 5 s", n, dir).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /**
     * Python's http.server recording the raw bytes it read on each connection it accepted (one file
     * {@code connection-N.bin} per connection in the directory of its first argument), answering
     * every GET with its second argument and a line end. Not Vert.x on the backend side, so the wire is what is asserted.
     */
    private static final String RECORDING_BACKEND = """
                import http.server, itertools, os, sys
                connections = itertools.count()
                class Recording:
                    def __init__(self, f, log): self.f, self.log = f, log
                    def readline(self, *a): return self.kept(self.f.readline(*a))
                    def read(self, *a): return self.kept(self.f.read(*a))
                    def kept(self, b): self.log.write(b); self.log.flush(); return b
                    def __getattr__(self, name): return getattr(self.f, name)
                class Handler(http.server.BaseHTTPRequestHandler):
                    protocol_version = 'HTTP/1.1'
                    def setup(self):
                        super().setup()
                        log = open(os.path.join(sys.argv[1], 'connection-%d.bin' % next(connections)), 'wb')
                        self.rfile = Recording(self.rfile, log)
                    def do_GET(self):
                        body = sys.argv[2].encode() + b'\\n'
                        self.send_response(200)
                        self.send_header('Content-Length', str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
                print(server.server_address[1], flush=True)
                server.serve_forever()
                """;

    /** Runs {@code script} with {@code root} and {@code args} as its arguments; its stderr goes to {@code python.log} there. */
    private static Process startPython(Path root, String script, String... args) throws java.io.IOException {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", script, root.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(root.resolve("python.log").toFile()).start();
    }

    /** The port the script printed on its first line once listening. */
    private static int portOf(Process python) throws java.io.IOException {
        return Integer.parseInt(new BufferedReader(new InputStreamReader(python.getInputStream())).readLine().trim());
    }
}
