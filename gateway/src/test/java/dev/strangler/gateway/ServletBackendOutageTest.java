package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.gateway.MonolithServlet.Received;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A servlet monolith that starts cold (its first request waits, as a webapp's lazy initialisation
 * does) or is stopped and started again: the gateway answers {@code 504}/{@code 502} with its
 * problem body (README, "What the gateway does to every request"), never a late or foreign answer,
 * and serves again as soon as Tomcat does.
 */
class ServletBackendOutageTest {
    /** Short, for a fast test; not shorter, so a loaded machine's ordinary answers stay within it. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

    private static GatewayInFront gatewayBefore(TomcatBackend tomcat, BackendClient client) throws Exception {
        Backend monolith = Backend.of(Backend.MONOLITH, URI.create(tomcat.url())).withResponseTimeout(RESPONSE_TIMEOUT);
        return client.start(() -> GatewayInFront.of(GatewayConfig.of(monolith, Map.of(), List.of())));
    }

    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void aColdStartTimesOutWith504AndTheLateAnswerNeverReachesTheNextRequest(BackendClient client) throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start();
             GatewayInFront g = gatewayBefore(tomcat, client);
             Socket s = g.connect()) {
            InputStream in = RawResponse.reader(s);
            CountDownLatch warm = tomcat.holdNextRequest();
            write(s, "GET /app/api/orders/1 HTTP/1.1\r\nHost: shop\r\nX-Request-Id: cold-1\r\n\r\n");
            RawResponse timedOut = RawResponse.read(in, false);
            warm.countDown(); // the servlet now writes its late answer to order 1 on the connection the gateway gave up

            assertThat(timedOut.status()).isEqualTo(504);
            assertThat(timedOut.header("Content-Type")).contains("application/problem+json");
            assertThat(timedOut.bodyText()).contains("\"status\":504", "\"backend\":\"monolith\"", "cold-1")
                    .doesNotContain("127.0.0.1:" + tomcat.port());
            assertThat(tomcat.nextReceived().requestUri()).as("Tomcat had the request").isEqualTo("/app/api/orders/1");

            for (int id = 2; id <= 4; id++) {
                write(s, "GET /app/api/orders/" + id + " HTTP/1.1\r\nHost: shop\r\n\r\n");
                RawResponse r = RawResponse.read(in, false);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).as("its own answer, not the late one").startsWith("{\"id\":" + id + ",");
                assertThat(tomcat.nextReceived().requestUri()).isEqualTo("/app/api/orders/" + id);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void aStoppedTomcatGives502AndTheGatewayServesAgainWhenTomcatIsBack(BackendClient client) throws Exception {
        TomcatBackend tomcat = TomcatBackend.start();
        try (GatewayInFront g = gatewayBefore(tomcat, client)) {
            assertThat(get(g, "/app/api/orders/1").status()).isEqualTo(200);
            tomcat.close();

            RawResponse down = get(g, "/app/api/orders/2");
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.header("Content-Type")).contains("application/problem+json");
            // refused at connect ("could not be reached"), or on a pooled connection whose close was not yet seen ("failed before answering")
            assertThat(down.bodyText()).contains("\"status\":502", "\"backend\":\"monolith\"").doesNotContain(String.valueOf(tomcat.port()));

            tomcat = tomcat.restart();
            TomcatBackend back = tomcat;
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(get(g, "/app/api/orders/3").status()).isEqualTo(200));
            List<Received> received = back.drainReceived();
            assertThat(received).extracting(Received::requestUri).contains("/app/api/orders/1", "/app/api/orders/3")
                    .doesNotContain("/app/api/orders/2");
        } finally {
            tomcat.close();
        }
    }

    private static RawResponse get(GatewayInFront g, String target) throws Exception {
        try (Socket s = g.connect()) {
            write(s, "GET " + target + " HTTP/1.1\r\nHost: shop\r\n\r\n");
            return RawResponse.read(RawResponse.reader(s), false);
        }
    }
}
