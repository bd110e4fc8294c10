package dev.strangler.examples;

import static dev.strangler.examples.DemoHttp.await;
import static dev.strangler.examples.DemoHttp.get;
import static dev.strangler.examples.DemoHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoUsersServiceTest {
    private static Vertx vertx;
    private static DemoMonolith monolith;
    private static DemoUsersService service;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        BlogData shared = BlogData.sample();
        monolith = await(DemoMonolith.start(vertx, "127.0.0.1", 0, shared));
        service = await(DemoUsersService.start(vertx, "127.0.0.1", 0, shared));
    }

    @AfterAll
    static void stop() throws Exception {
        await(service.stop());
        await(monolith.stop());
        await(vertx.close());
    }

    @Test
    void oddIdsNotDivisibleByThreeAreAnsweredExactlyAsTheMonolithDoes() throws Exception {
        for (long id : new long[] {1, 5}) {
            HttpResponse<String> fromService = get(service.port(), "/users/" + id);
            HttpResponse<String> fromMonolith = get(monolith.port(), "/api/users/" + id);

            assertThat(DemoUsersService.answersWronglyFor(id)).isFalse();
            assertThat(fromService.statusCode()).isEqualTo(200);
            assertThat(fromService.headers().firstValue("X-Served-By")).hasValue("users-service");
            assertThat(fromService.body()).isEqualTo(fromMonolith.body());
        }
    }

    @Test
    void anEvenIdComesBackWithItsHandleUpperCasedAndNothingElseChanged() throws Exception {
        JsonNode fromService = json(get(service.port(), "/users/4"));
        JsonNode fromMonolith = json(get(monolith.port(), "/api/users/4"));

        assertThat(DemoUsersService.answersWronglyFor(4)).isTrue();
        assertThat(fromService.get("handle").asText()).isEqualTo(fromMonolith.get("handle").asText().toUpperCase());
        assertThat(fromService.get("handle").asText()).isNotEqualTo(fromMonolith.get("handle").asText());
        assertThat(fromService.get("name")).isEqualTo(fromMonolith.get("name"));
        assertThat(fromService.get("email")).isEqualTo(fromMonolith.get("email"));
    }

    @Test
    void anIdDivisibleByThreeFailsWithA500WhereTheMonolithAnswers() throws Exception {
        assertThat(get(service.port(), "/users/3").statusCode()).isEqualTo(500);
        assertThat(get(monolith.port(), "/api/users/3").statusCode()).isEqualTo(200);
        assertThat(DemoUsersService.answersWronglyFor(3)).isTrue();
    }

    @Test
    void anUnknownUserIsNotFound() throws Exception {
        assertThat(get(service.port(), "/users/404").statusCode()).isEqualTo(404);
    }
}
