package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static dev.strangler.gateway.Eventually.eventually;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend connection that was answered before the upload on it was sent whole (the backend refused
 * it on sight and reset the connection, {@link EarlyRefusalTest}) still owes the backend a body, or can
 * send nothing more: it must never carry another request, though the answer says nothing of closing
 * (no {@code Connection: close}). The gateway's pool here holds one connection, and a second request
 * waits for it while the upload is refused, so it is the one that would be given it. Before, Vert.x's
 * client took the reset of the unwanted rest of the upload for the end of the request and handed the
 * connection at once to the waiting request, which failed (a 502) when the gateway closed it right
 * after. An answer read after a failed write says {@code close} as well ({@code AnnouncedCloseOnShutOutputTest}).
 */
class AnnouncedCloseTest {
    @Test
    void aConnectionAnsweredBeforeItsUploadWasSentIsNotGivenTheNextRequest() throws Exception {
        Semaphore uploadHeadRead = new Semaphore(0);
        Semaphore refuse = new Semaphore(0);
        try (RefusingBackend backend = RefusingBackend.start(EarlyRefusalTest.refusal(""), () -> {
            uploadHeadRead.release();
            if (!refuse.tryAcquire(10, TimeUnit.SECONDS)) throw new AssertionError("never told to refuse");
        });
             var g = BackendClient.VERTX.start(() -> GatewayInFront.of(oneConnectionTo(backend.url())))) {
            for (int round = 1; round <= EarlyRefusalTest.ROUNDS; round++) {
                try (Socket uploader = g.connect(); Socket next = g.connect()) {
                    InputStream uploaderIn = RawResponse.reader(uploader);
                    Thread sender = EarlyRefusalTest.startUpload(uploader, "/orders/" + round);
                    assertThat(uploadHeadRead.tryAcquire(10, TimeUnit.SECONDS)).as("round %d: the upload's head arrived", round).isTrue();
                    write(next, "GET /next/" + round + " HTTP/1.1\r\nHost: shop\r\n\r\n");
                    // both exchanges begun: the GET waits for the pool's one connection, which the upload holds
                    eventually(Duration.ofSeconds(10), () -> assertThat(g.gateway.inFlight()).isEqualTo(2));
                    refuse.release();

                    RawResponse refused = RawResponse.read(uploaderIn, false);
                    assertThat(refused.status()).as("round %d: %s", round, refused.head()).isEqualTo(403);
                    RawResponse answered = RawResponse.read(RawResponse.reader(next), false);
                    assertThat(answered.status()).as("round %d: %s %s", round, answered.head(), answered.bodyText()).isEqualTo(200);
                    assertThat(answered.bodyText()).isEqualTo("/next/" + round);
                    uploader.close();
                    sender.join(10_000);
                }
                assertThat(backend.firstRequestLines()).as("round %d: the GET came on a connection of its own", round)
                        .hasSize(2 * round)
                        .element(2 * round - 1).isEqualTo("GET /next/" + round + " HTTP/1.1");
            }
        }
    }

    /** A monolith at {@code url} whose pool holds one connection (per event loop; the gateway runs one). */
    private static GatewayConfig oneConnectionTo(String url) {
        Backend monolith = new Backend(Backend.MONOLITH, List.of(URI.create(url)), Defaults.CONNECT_TIMEOUT,
                Defaults.RESPONSE_TIMEOUT, 1, Optional.empty());
        return GatewayConfig.of(monolith, Map.of(), List.of());
    }
}
