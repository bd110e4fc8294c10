package dev.strangler.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's line for real requests through a real gateway, read back as JSON. */
class AccessLogOfProxiedRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Route posts(Stage stage) {
        return Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts").withStage(stage);
    }

    /** The line {@code outcome} is logged as, by a real access log redacting {@code token}. */
    private static JsonNode logged(Outcome outcome) throws Exception {
        return JSON.readTree(CapturedLog.accessLogLineOf(outcome));
    }

    @Test
    void aLiveRequestIsLoggedWithItsTimeQueryClientUserAgentAndTheServicesTimes() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.LIVE)))) {
            Instant before = Instant.now().minusMillis(1);
            h.get("/api/posts/7?page=2&token=s3cr3t", "User-Agent", "demo-client/1.0", "X-Request-Id", "req-7");
            assertThat(h.service.next().uri()).isEqualTo("/api/posts/7?page=2&token=s3cr3t"); // the backend gets it all

            JsonNode line = logged(h.nextOutcome());

            Instant time = Instant.parse(line.get("time").asText());
            assertThat(line.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(time).isBetween(before, Instant.now().plusMillis(1));
            assertThat(line.get("request_id").asText()).isEqualTo("req-7");
            assertThat(line.get("method").asText()).isEqualTo("GET");
            assertThat(line.get("path").asText()).isEqualTo("/api/posts/7");
            assertThat(line.get("query").asText()).isEqualTo("page=2&token=" + Redactor.REDACTED);
            assertThat(line.get("route").asText()).isEqualTo("posts-read");
            assertThat(line.get("stage").asText()).isEqualTo("live");
            assertThat(line.get("backend").asText()).isEqualTo("posts");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("bytes_out").asLong()).isPositive();
            assertThat(line.get("client").asText()).isEqualTo("127.0.0.1");
            assertThat(line.get("user_agent").asText()).isEqualTo("demo-client/1.0");
            double connect = line.get("upstream_connect_ms").asDouble();
            double response = line.get("upstream_response_ms").asDouble();
            double duration = line.get("duration_ms").asDouble();
            assertThat(connect).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(response);
            assertThat(response).isLessThanOrEqualTo(duration);
            assertThat(line.toString()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void whenTheServiceCannotBeReachedTheMonolithsTimesAreLoggedWithTheFallbackCause() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.LIVE)))) {
            h.service.close(); // nothing listens on the service's port any more
            h.get("/api/posts/1");

            JsonNode line = logged(h.nextOutcome());

            assertThat(line.get("backend").asText()).isEqualTo("monolith");
            assertThat(line.get("fallback_from").asText()).isEqualTo("posts");
            assertThat(line.get("fallback_cause").asText()).isEqualTo("connect-refused");
            assertThat(line.has("upstream_connect_ms")).isTrue();
            assertThat(line.has("upstream_response_ms")).isTrue();
            assertThat(line.has("query")).isFalse();
        }
    }

    @Test
    void aServiceThatNeverAnswersLeavesNoResponseTime() throws Exception {
        Route held = Route.of("held", RouteMatch.path("/hold/**"), "posts").withStage(Stage.RETIRED);
        try (var h = new GatewayHarness(List.of(held), GatewayHarness.serviceTimeout(Duration.ofMillis(200)))) {
            h.get("/hold/never");

            JsonNode line = logged(h.nextOutcome());
            h.service.release("never");

            assertThat(line.get("status").asInt()).isEqualTo(504);
            assertThat(line.get("error").asText()).isEqualTo("response-timeout");
            assertThat(line.has("upstream_connect_ms")).isTrue();
            assertThat(line.has("upstream_response_ms")).isFalse();
        }
    }
}
