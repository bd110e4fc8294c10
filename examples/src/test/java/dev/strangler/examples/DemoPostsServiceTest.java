package dev.strangler.examples;

import static dev.strangler.examples.DemoHttp.CLIENT;
import static dev.strangler.examples.DemoHttp.get;
import static dev.strangler.examples.DemoHttp.json;
import static dev.strangler.examples.DemoHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DemoPostsServiceTest {
    @RegisterExtension
    static final SharedBlog<DemoPostsService> BLOG = new SharedBlog<>(DemoPostsService::start, DemoPostsService::stop);

    @Test
    void servesPostsWithoutTheApiPrefixAndNamesItself() throws Exception {
        HttpResponse<String> posts = get(BLOG.service().port(), "/posts");
        HttpResponse<String> comments = get(BLOG.service().port(), "/posts/2/comments");

        assertThat(posts.statusCode()).isEqualTo(200);
        assertThat(posts.headers().firstValue("X-Served-By")).hasValue("posts-service");
        assertThat(json(posts).get(1).get("title").asText()).isEqualTo("Notes on feature flags");
        assertThat(json(comments)).hasSize(2);
    }

    @Test
    void answersTheSameBodiesAsTheMonolithForTheSamePost() throws Exception {
        for (String path : new String[] {"/posts/5", "/posts/5/comments", "/posts/404"}) {
            HttpResponse<String> fromService = get(BLOG.service().port(), path);
            HttpResponse<String> fromMonolith = get(BLOG.monolith().port(), "/api" + path);

            assertThat(fromService.statusCode()).as(path).isEqualTo(fromMonolith.statusCode());
            if (fromService.statusCode() == 200) {
                assertThat(fromService.body()).as(path).isEqualTo(fromMonolith.body());
            }
        }
    }

    @Test
    void aPostCreatedThroughTheServiceIsVisibleThroughTheMonolithWhenTheyShareData() throws Exception {
        HttpResponse<String> created = CLIENT.send(request(BLOG.service().port(), "/posts")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"authorId\": 1, \"title\": \"Extracted\", \"body\": \"Now on its own.\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).isEqualTo(201);
        long id = json(created).get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/posts/" + id);
        assertThat(get(BLOG.monolith().port(), "/api/posts/" + id).body()).isEqualTo(created.body());
    }

    @Test
    void doesNotServeUsersOrTheMonolithLayout() throws Exception {
        for (String path : new String[] {"/users", "/api/posts", "/api/users/me"}) {
            HttpResponse<String> response = get(BLOG.service().port(), path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).get("error").asText()).as(path).isEqualTo("not_found");
            assertThat(response.headers().firstValue("X-Served-By")).as(path).hasValue("posts-service");
        }
    }

    @Test
    void countsTheRequestsItReceived() throws Exception {
        long before = BLOG.service().requestCount();

        get(BLOG.service().port(), "/health");

        assertThat(BLOG.service().requestCount()).isEqualTo(before + 1);
        assertThat(json(get(BLOG.service().port(), "/health")).get("service").asText()).isEqualTo("posts-service");
    }
}
