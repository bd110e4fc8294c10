package dev.strangler.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoMonolithTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Vertx vertx;
    private static DemoMonolith monolith;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        monolith = DemoMonolith.start(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        monolith.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void listsTheSampleUsersAndPostsAsJsonServedByTheMonolith() throws Exception {
        HttpResponse<String> users = get("/api/users", null);
        HttpResponse<String> posts = get("/api/posts", null);

        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.headers().firstValue("X-Served-By")).hasValue("monolith");
        assertThat(users.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(users)).hasSize(BlogData.SAMPLE_USERS);
        assertThat(json(users).get(0).get("handle").asText()).isEqualTo("ada");
        assertThat(json(posts)).hasSizeGreaterThanOrEqualTo(BlogData.SAMPLE_POSTS);
        assertThat(json(posts).get(0).get("createdAt").asText()).isEqualTo("2024-01-08T09:00:00Z");
    }

    @Test
    void answersOneUserOnePostAndItsComments() throws Exception {
        JsonNode user = json(get("/api/users/3", null));
        JsonNode post = json(get("/api/posts/7", null));
        JsonNode comments = json(get("/api/posts/7/comments", null));

        assertThat(user.get("name").asText()).isEqualTo("Alan Turing");
        assertThat(post.get("id").asLong()).isEqualTo(7);
        assertThat(post.get("title").asText()).isEqualTo("Notes on retries");
        assertThat(comments).hasSize(3).allSatisfy(c -> assertThat(c.get("postId").asLong()).isEqualTo(7));
    }

    @Test
    void meIsTheUserNamedByTheHeaderAndUnauthorizedWithoutIt() throws Exception {
        HttpResponse<String> withHeader = get("/api/users/me", "2");
        HttpResponse<String> without = get("/api/users/me", null);
        HttpResponse<String> unknown = get("/api/users/me", "99");

        assertThat(json(withHeader).get("handle").asText()).isEqualTo("grace");
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(json(without).get("error").asText()).isEqualTo("unauthorized");
        assertThat(without.headers().firstValue("X-Served-By")).hasValue("monolith");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void aCreatedPostIsReturnedWith201AndCanBeReadBack() throws Exception {
        HttpResponse<String> created = post("/api/posts",
                "{\"authorId\": 4, \"title\": \"Strangling the monolith\", \"body\": \"One route at a time.\", \"tags\": [\"migration\"]}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode post = json(created);
        assertThat(post.get("id").asLong()).isGreaterThan(BlogData.SAMPLE_POSTS);
        assertThat(post.get("authorId").asLong()).isEqualTo(4);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/posts/" + post.get("id").asLong());
        assertThat(json(get("/api/posts/" + post.get("id").asLong(), null))).isEqualTo(post);
    }

    @Test
    void anInvalidPostIsABadRequestNamingEveryProblem() throws Exception {
        HttpResponse<String> response = post("/api/posts", "{\"authorId\": 99, \"title\": \" \", \"body\": \"x\"}");
        HttpResponse<String> notJson = post("/api/posts", "{nope");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).contains("authorId: no user with id 99", "title: must not be blank");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("error").asText()).isEqualTo("bad_request");
    }

    @Test
    void unknownPathsAndIdsAreJson404s() throws Exception {
        for (String path : new String[] {"/nope", "/api/posts/999", "/api/posts/abc", "/api/users/0", "/api/posts/1/likes", "/posts"}) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).get("error").asText()).as(path).isEqualTo("not_found");
            assertThat(response.headers().firstValue("X-Served-By")).as(path).hasValue("monolith");
        }
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("/api/posts/1", null).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> response = get("/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("UP");
    }

    private static HttpRequest.Builder request(String path, String userId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monolith.port() + path))
                .timeout(Duration.ofSeconds(5));
        return userId == null ? builder : builder.header("X-User-Id", userId);
    }

    private static HttpResponse<String> get(String path, String userId) throws IOException, InterruptedException {
        return CLIENT.send(request(path, userId).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return CLIENT.send(request(path, null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
