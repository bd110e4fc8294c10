package dev.strangler.control.admin;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web page cannot drive the admin API through the operator's browser: what a browser would send
 * for a cross-site form or {@code fetch}, or after DNS rebinding, is refused and changes nothing,
 * while the CLI's requests pass. Real process, real store, real HTTP; Host is sent over a raw
 * socket because {@link HttpClient} does not let a caller choose it.
 */
class AdminRequestGuardTest {
    private static final String LIVE_ROUTE = """
              - name: orders
                match: { path: /api/orders/** }
                service: svc
                stage: live
            """;

    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int admin;

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    @Test
    void aCrossOriginTextPlainRollbackIsRefusedAndTheLiveRouteStaysLive() throws Exception {
        start("");

        HttpResponse<String> refused = post("/api/routes/orders/rollback", "text/plain", "{\"reason\":\"pwned\"}",
                "Origin", "http://evil.example");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).getString("type")).endsWith("/cross-origin");
        assertThat(json(refused).getString("detail")).contains("http://evil.example");
        assertLiveAndUntouched();
    }

    @Test
    void aTextPlainPostWithoutOriginIsRefusedAs415AndChangesNothing() throws Exception {
        start("");

        HttpResponse<String> refused = post("/api/routes/orders/rollback", "text/plain", "{\"reason\":\"pwned\"}");

        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(json(refused).getString("detail")).contains("Content-Type: application/json").contains("text/plain");
        assertLiveAndUntouched();
    }

    @Test
    void aFormPostAndAPostWithoutContentTypeAreRefused() throws Exception {
        start("");

        assertThat(post("/api/routes/orders/rollback", "application/x-www-form-urlencoded", "reason=pwned").statusCode())
                .isEqualTo(415);
        assertThat(post("/api/routes/orders/rollback", null, "{\"reason\":\"pwned\"}").statusCode()).isEqualTo(415);
        assertLiveAndUntouched();
    }

    @Test
    void aJsonPostFromAForeignOriginIsRefusedToo() throws Exception {
        start("");

        HttpResponse<String> refused = post("/api/routes/orders/rollback", "application/json", "{\"reason\":\"x\"}",
                "Origin", "null");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertLiveAndUntouched();
    }

    @Test
    void aForeignHostIsRefusedAsMisdirectedEvenForReadsSoDnsRebindingFindsNothing() throws Exception {
        start("");

        String health = raw("GET /health HTTP/1.1\r\nHost: rebind.evil.example:" + admin + "\r\n\r\n");
        String rollback = raw(jsonPost("/api/routes/orders/rollback", "rebind.evil.example:" + admin, "{\"reason\":\"pwned\"}"));

        assertThat(health).startsWith("HTTP/1.1 421 ").contains("rebind.evil.example").contains("admin.allowed-hosts")
                .contains("answers only to 127.0.0.1:" + admin + ", localhost:" + admin + ", [::1]:" + admin + ", so that")
                .doesNotContain("\"status\":\"up\"");
        assertThat(rollback).startsWith("HTTP/1.1 421 ");
        assertLiveAndUntouched();
    }

    @Test
    void theLoopbackNamesWithAnotherPortAreRefused() throws Exception {
        start("");

        assertThat(raw("GET /health HTTP/1.1\r\nHost: localhost:" + (admin == 1 ? 2 : admin - 1) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 421 ");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 421 ");
    }

    @Test
    void theListenAddressAndTheLoopbackNamesWithTheAdminPortAreAnswered() throws Exception {
        start("");

        for (String host : new String[]{"127.0.0.1:" + admin, "localhost:" + admin, "LocalHost:" + admin, "[::1]:" + admin}) {
            assertThat(raw("GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).as(host).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void aNameListedInAllowedHostsIsAnsweredWithAnyPort() throws Exception {
        start(", allowed-hosts: [Admin.Internal]");

        assertThat(raw("GET /health HTTP/1.1\r\nHost: admin.internal\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: admin.internal:8443\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: other.internal\r\n\r\n")).startsWith("HTTP/1.1 421 ");
    }

    @Test
    void twoHostHeadersAreRefused() throws Exception {
        start("");

        assertThat(raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + admin + "\r\nHost: evil.example\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ");
    }

    @Test
    void aCliStyleJsonPostWithoutOriginPassesAndMovesTheRoute() throws Exception {
        start("");

        HttpResponse<String> moved = post("/api/routes/orders/rollback", "application/json; charset=utf-8",
                "{\"reason\":\"p99 doubled\"}", "X-Strangler-Actor", "cli:alice");

        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(json(get(admin, "/api/routes/orders")).getString("stage")).isEqualTo("shadow");
    }

    @Test
    void aJsonPostFromTheAdminsOwnOriginPasses() throws Exception {
        start("");

        // What the dashboard, served from this port, sends.
        String answer = raw(jsonPost("/api/routes/orders/rollback", "127.0.0.1:" + admin, "{\"reason\":\"from the dashboard\"}",
                "Origin: http://127.0.0.1:" + admin + "\r\n"));

        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(json(get(admin, "/api/routes/orders")).getString("stage")).isEqualTo("shadow");
    }

    @Test
    void aCrossOriginReadIsAnsweredButCarriesNoCorsPermission() throws Exception {
        start("");

        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/api/routes"))
                .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void start(String adminExtra) {
        HttpServer monolith = backends.start(0, 0);
        HttpServer service = backends.start(0, 0);
        String yaml = Gateways.config("jdbc:h2:file:" + dir.resolve("state"), monolith.actualPort(), service.actualPort(), "1h",
                LIVE_ROUTE).replace("admin: { listen: 127.0.0.1:0 }", "admin: { listen: 127.0.0.1:0" + adminExtra + " }");
        StranglerProcess process = gateways.start(dir.resolve("strangler.yaml"), yaml);
        admin = process.adminPort();
    }

    /** The route is still live and the audit log holds only its creation. */
    private void assertLiveAndUntouched() {
        assertThat(json(get(admin, "/api/routes/orders")).getString("stage")).isEqualTo("live");
        JsonArray audit = array(get(admin, "/api/audit?route=orders"));
        assertThat(audit.stream().map(e -> ((JsonObject) e).getString("action")).toList()).containsExactly("create");
    }

    private HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String jsonPost(String path, String host, String body, String... extraHeaderLines) {
        return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + String.join("", extraHeaderLines)
                + "Connection: close\r\n\r\n" + body;
    }

    /** Sends {@code request} as is and returns everything the admin answered until it closed (or 5 s passed). */
    private String raw(String request) throws Exception {
        String r = request.contains("Connection: close") ? request
                : request.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", admin)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(r.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) answer.write(buffer, 0, n);
            } catch (java.net.SocketTimeoutException e) {
                // a kept-alive connection: what came so far is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
