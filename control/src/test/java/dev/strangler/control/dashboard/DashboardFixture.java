package dev.strangler.control.dashboard;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Gateways;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard's browser tests with actions drive: a real gateway with an admin token in front
 * of a monolith, a service ({@code svc}) that differs from it in one field, and a service
 * ({@code broken}) that answers 500; three routes with some traffic ({@code users} in monolith,
 * {@code items} in shadow, {@code orders} a 50% canary of the broken service); and a Chromium.
 */
final class DashboardFixture implements BeforeAllCallback, AfterAllCallback {
    static final String TOKEN = "dashboard-test-token";
    static final String USER = "alice";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Browser browser;
    private Path dir;
    private Vertx backends;
    private Gateways gateways;
    private StranglerProcess process;

    /** Starts it all before a test class, skipping the class (saying why) where there is no Chromium. */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(Browser.available(), Browser::unavailableMessage);
        dir = Files.createTempDirectory("strangler-dashboard");
        backends = Vertx.vertx();
        gateways = new Gateways();
        HttpServer monolith = json(backends, "{\"id\":1,\"price\":10,\"name\":\"pen\",\"tags\":[\"a\",\"b\"]}");
        HttpServer service = json(backends, "{\"id\":1,\"price\":12,\"name\":\"pen\",\"tags\":[\"a\",\"b\"]}");
        HttpServer broken = Await.result(backends.createHttpServer()
                .requestHandler(req -> req.response().setStatusCode(500).end("{\"error\":\"boom\"}")).listen(0, "127.0.0.1"));
        process = gateways.start(dir.resolve("strangler.yaml"), """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0, token: %s }
                store: { url: "jdbc:h2:mem:dashboard-%d" }
                access-log: false
                controller: { interval: 1s }
                monolith: { url: http://127.0.0.1:%d }
                services:
                  svc: { url: http://127.0.0.1:%d }
                  broken: { url: http://127.0.0.1:%d }
                routes:
                  - name: users
                    match: { path: "/api/users/**" }
                    service: svc
                    stage: monolith
                    automate: false
                  - name: items
                    match: { path: "/api/items/**" }
                    service: svc
                    stage: shadow
                    automate: false
                  - name: orders
                    match: { path: "/api/orders/**" }
                    service: broken
                    stage: canary
                    percent: 50
                    sticky: header:X-User-Id
                    automate: false
                """.formatted(TOKEN, System.nanoTime(), monolith.actualPort(), service.actualPort(), broken.actualPort()));
        for (int i = 0; i < 5; i++) {
            assertThat(user("/api/users/" + i).statusCode()).isEqualTo(200);
            assertThat(user("/api/items/" + i).body()).contains("\"price\":10"); // the monolith answers in shadow
        }
        for (int i = 0; i < 40; i++) user("/api/orders/" + i, "X-User-Id", "user-" + i); // half of them get the failing service
        browser = new Browser();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (browser != null) browser.close();
        } finally {
            if (gateways != null) gateways.close();
            if (backends != null) Await.result(backends.close());
            if (dir != null) {
                Files.deleteIfExists(dir.resolve("strangler.yaml"));
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Signs in on the login page as {@link #USER} with the right token and waits for the overview. */
    void signIn() {
        browser.open(url() + "#/login");
        browser.script("sessionStorage.clear(); location.reload()");
        WebElement name = browser.visible(By.id("login-name"));
        name.clear();
        name.sendKeys(USER);
        WebElement token = browser.visible(By.id("login-token"));
        token.clear();
        token.sendKeys(TOKEN);
        browser.visible(By.id("login-submit")).click();
        browser.until(d -> browser.text(By.id("who")).contains("dashboard:" + USER));
        browser.visible(By.id("routes-table"));
    }

    /** Opens a route's page and waits for it to show the route's stage. */
    void openRoute(String route, String stage) {
        browser.open(url() + "#/route/" + route);
        browser.until(d -> browser.text(By.id("route-stage")).contains(stage));
    }

    /** The route's audit entries through the admin API, newest first. */
    JsonArray audit(String route) throws Exception {
        HttpResponse<String> r = admin("GET", "/api/audit?route=" + route, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonArray(r.body());
    }

    /** A call to the admin API with the token, as the CLI makes it; a null body is a GET. */
    HttpResponse<String> admin(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(admin() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String admin() {
        return "http://127.0.0.1:" + process.adminPort();
    }

    /** The dashboard's address: the admin's root. */
    String url() {
        return admin() + "/";
    }

    /** A user's request through the gateway. */
    HttpResponse<String> user(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.port() + path));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpServer json(Vertx vertx, String body) {
        return Await.result(vertx.createHttpServer()
                .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(body))
                .listen(0, "127.0.0.1"));
    }
}
