package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.StickyKey;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class StickyCanaryTest {
    private static final int USERS = 10_000;

    private static Route canary(double percent, StickyKey sticky) {
        return Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withCanary(percent, sticky);
    }

    /** Sends one request per user (in parallel batches) and returns, per user, whether the service answered. */
    private static boolean[] servedByService(GatewayHarness h, int users, String headerName, String prefix) throws Exception {
        boolean[] out = new boolean[users];
        for (int start = 0; start < users; start += 200) {
            List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(users, start + 200); i++) {
                HttpRequest.Builder b = HttpRequest.newBuilder(h.uri("/api/posts/1")).timeout(Duration.ofSeconds(20));
                if (headerName != null) b.header(headerName, prefix + i);
                batch.add(h.http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()));
            }
            for (int i = 0; i < batch.size(); i++)
                out[start + i] = batch.get(i).get().headers().firstValue("X-Served-By").orElseThrow().equals("posts");
        }
        return out;
    }

    private static double share(boolean[] sides) {
        int n = 0;
        for (boolean s : sides) if (s) n++;
        return 100.0 * n / sides.length;
    }

    @Test
    void overTenThousandUsersTheShareIsWithinTwoPointsAndEachUserKeepsTheirSide() throws Exception {
        try (var h = new GatewayHarness(List.of(canary(30, new StickyKey.Header("X-User-Id"))))) {
            boolean[] first = servedByService(h, USERS, "X-User-Id", "user-");
            assertThat(share(first)).isBetween(28.0, 32.0);
            boolean[] again = servedByService(h, 2_000, "X-User-Id", "user-");
            for (int i = 0; i < again.length; i++) assertThat(again[i]).as("user-" + i).isEqualTo(first[i]);
        }
    }

    @Test
    void aCookieCanBeTheStickyKey() throws Exception {
        try (var h = new GatewayHarness(List.of(canary(50, new StickyKey.Cookie("uid"))))) {
            for (int i = 0; i < 20; i++) {
                String side = h.get("/api/posts", "Cookie", "a=1; uid=u" + i).headers().firstValue("X-Served-By").orElseThrow();
                for (int k = 0; k < 3; k++)
                    assertThat(h.get("/api/posts", "Cookie", "uid=u" + i + "; z=2").headers().firstValue("X-Served-By")).hasValue(side);
            }
        }
    }

    @Test
    void requestsWithoutTheKeyAreDrawnAtRandomAndTheShareStillHolds() throws Exception {
        try (var h = new GatewayHarness(List.of(canary(30, new StickyKey.Header("X-User-Id"))))) {
            assertThat(share(servedByService(h, USERS, null, null))).isBetween(28.0, 32.0);
        }
    }
}
