package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 MB each way through a JVM whose heap is 96 MB (see this module's pom): a proxy that buffered
 * whole bodies would fail here. The backend also sees the first upload bytes before the client has
 * sent the last, which only a streaming proxy allows.
 */
class StreamingTest {
    private static final long HUNDRED_MB = 100L * 1024 * 1024;

    @Test
    void aHundredMegabyteUploadIsStreamedToTheServiceWithoutBuffering() throws Exception {
        try (var h = new GatewayHarness(List.of(Route.of("upload", RouteMatch.path("/count"), "posts").withStage(Stage.RETIRED)))) {
            var firstChunkSeenBeforeUploadEnded = new java.util.concurrent.atomic.AtomicBoolean();
            InputStream body = new InputStream() {
                long sent;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (sent >= HUNDRED_MB) return -1;
                    if (sent > HUNDRED_MB / 2 && h.service.firstBodyChunk.getCount() == 0)
                        firstChunkSeenBeforeUploadEnded.set(true);
                    int n = (int) Math.min(len, HUNDRED_MB - sent);
                    sent += n;
                    return n;
                }
            };
            HttpRequest request = HttpRequest.newBuilder(h.uri("/count")).timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), HUNDRED_MB))
                    .build();
            HttpResponse<String> r = h.http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Long.toString(HUNDRED_MB));
            assertThat(firstChunkSeenBeforeUploadEnded).isTrue();
        }
    }

    @Test
    void aHundredMegabyteDownloadIsStreamedToTheClient() throws Exception {
        try (var h = new GatewayHarness(List.of())) {
            HttpRequest request = HttpRequest.newBuilder(h.uri("/bytes/" + HUNDRED_MB)).timeout(Duration.ofSeconds(120)).build();
            HttpResponse<InputStream> r = h.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = r.body()) {
                for (int n; (n = in.read(buffer)) >= 0; ) total += n;
            }
            assertThat(total).isEqualTo(HUNDRED_MB);
            var outcome = h.nextOutcome();
            assertThat(outcome.bytesOut()).isGreaterThanOrEqualTo(HUNDRED_MB);
            assertThat(outcome.status()).isEqualTo(200);
        }
    }
}
