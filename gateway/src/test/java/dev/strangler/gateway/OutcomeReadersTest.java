package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Decider;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.ExchangeObserver.Extra;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.RequestDetails;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through a real gateway: a request's client key and its details (for the access log) are looked up
 * only when an observer reads them ({@link ExchangeObserver#reads()}).
 */
class OutcomeReadersTest {
    /** The outcome of one request carrying a session cookie, a user agent and a query, seen by an observer that reads what the flags say. */
    private static Outcome outcomeSeenBy(boolean readsClientKey, boolean readsDetails) throws Exception {
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        ExchangeObserver reader = new ExchangeObserver() {
            @Override
            public void onComplete(Outcome outcome) {
                outcomes.add(outcome);
            }

            @Override
            public Set<Extra> reads() {
                EnumSet<Extra> reads = EnumSet.noneOf(Extra.class);
                if (readsClientKey) reads.add(Extra.CLIENT_KEY);
                if (readsDetails) reads.add(Extra.DETAILS);
                return reads;
            }
        };
        Vertx vertx = Vertx.vertx();
        try {
            EchoBackend monolith = EchoBackend.start(vertx, "monolith");
            EchoBackend service = EchoBackend.start(vertx, "posts");
            GatewayConfig config = GatewayConfig.of(Backend.of(Backend.MONOLITH, monolith.url()),
                    Map.of("posts", Backend.of("posts", service.url())),
                    List.of(Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.LIVE)));
            Gateway gateway = Gateway.start(vertx, config, new Decider(new Random(42)), reader, 1)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/posts/7?page=2"))
                                .header("Cookie", "theme=dark; JSESSIONID=s42").header("User-Agent", "demo-client/1.0")
                                .timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
                assertThat(outcome).as("the request's outcome").isNotNull();
                return outcome;
            } finally {
                gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anObserverThatReadsTheClientKeyAndDetailsGetsThem() throws Exception {
        Outcome outcome = outcomeSeenBy(true, true);

        assertThat(outcome.clientKey()).isEqualTo("c:s42");
        assertThat(outcome.details().query()).isEqualTo("page=2");
        assertThat(outcome.details().userAgent()).isEqualTo("demo-client/1.0");
        assertThat(outcome.details().clientAddress()).isEqualTo("127.0.0.1");
        assertThat(outcome.details().upstreamResponseNanos()).isPositive();
    }

    @Test
    void whenNoObserverReadsThemTheClientKeyIsEmptyAndTheDetailsAreNone() throws Exception {
        Outcome outcome = outcomeSeenBy(false, false);

        assertThat(outcome.clientKey()).isEmpty();
        assertThat(outcome.details()).isSameAs(RequestDetails.NONE);
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.route()).isEqualTo("posts-read");
    }

    @Test
    void eachIsLookedUpForItsOwnReader() throws Exception {
        assertThat(outcomeSeenBy(true, false).clientKey()).isEqualTo("c:s42");
        assertThat(outcomeSeenBy(true, false).details()).isSameAs(RequestDetails.NONE);
        assertThat(outcomeSeenBy(false, true).clientKey()).isEmpty();
        assertThat(outcomeSeenBy(false, true).details().userAgent()).isEqualTo("demo-client/1.0");
    }
}
