package dev.strangler.examples;

import static dev.strangler.examples.DemoHttp.get;
import static dev.strangler.examples.DemoHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DemoUsersServiceTest {
    @RegisterExtension
    static final SharedBlog<DemoUsersService> BLOG = new SharedBlog<>(DemoUsersService::start, DemoUsersService::stop);

    @Test
    void oddIdsNotDivisibleByThreeAreAnsweredExactlyAsTheMonolithDoes() throws Exception {
        for (long id : new long[] {1, 5}) {
            HttpResponse<String> fromService = get(BLOG.service().port(), "/users/" + id);
            HttpResponse<String> fromMonolith = get(BLOG.monolith().port(), "/api/users/" + id);

            assertThat(DemoUsersService.answersWronglyFor(id)).isFalse();
            assertThat(fromService.statusCode()).isEqualTo(200);
            assertThat(fromService.headers().firstValue("X-Served-By")).hasValue("users-service");
            assertThat(fromService.body()).isEqualTo(fromMonolith.body());
        }
    }

    @Test
    void anEvenIdComesBackWithItsHandleUpperCasedAndNothingElseChanged() throws Exception {
        JsonNode fromService = json(get(BLOG.service().port(), "/users/4"));
        JsonNode fromMonolith = json(get(BLOG.monolith().port(), "/api/users/4"));

        assertThat(DemoUsersService.answersWronglyFor(4)).isTrue();
        assertThat(fromService.get("handle").asText()).isEqualTo(fromMonolith.get("handle").asText().toUpperCase());
        assertThat(fromService.get("handle").asText()).isNotEqualTo(fromMonolith.get("handle").asText());
        assertThat(fromService.get("name")).isEqualTo(fromMonolith.get("name"));
        assertThat(fromService.get("email")).isEqualTo(fromMonolith.get("email"));
    }

    @Test
    void anIdDivisibleByThreeFailsWithA500WhereTheMonolithAnswers() throws Exception {
        assertThat(get(BLOG.service().port(), "/users/3").statusCode()).isEqualTo(500);
        assertThat(get(BLOG.monolith().port(), "/api/users/3").statusCode()).isEqualTo(200);
        assertThat(DemoUsersService.answersWronglyFor(3)).isTrue();
    }

    @Test
    void anUnknownUserIsNotFound() throws Exception {
        assertThat(get(BLOG.service().port(), "/users/404").statusCode()).isEqualTo(404);
    }
}
