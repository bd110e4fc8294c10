package dev.strangler.core.catalog;

import dev.strangler.core.routing.PathPattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathTemplaterTest {

    /** Realistic paths, each templated by a fresh templater: the shape rule alone. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /                                                   | /
            ''                                                  | /
            /users/42                                           | /users/{userId}
            /users/42/                                          | /users/{userId}
            //users//42                                         | /users/{userId}
            /users/42?expand=orders&x=1                         | /users/{userId}
            /users/me                                           | /users/me
            /orders/export                                      | /orders/export
            /categories/7                                       | /categories/{categoryId}
            /addresses/12                                       | /addresses/{addressId}
            /statuses/12                                        | /statuses/{statusId}
            /api/v2/orders/9/items/3                            | /api/v2/orders/{orderId}/items/{itemId}
            /api/v1/line-items/17                               | /api/v1/line-items/{lineItemId}
            /api/v1/users                                       | /api/v1/users
            /42                                                 | /{id}
            /v2/42                                              | /v2/{id}
            /orders/3fa85f64-5717-4562-b3fc-2c963f66afa6        | /orders/{orderId}
            /blobs/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b     | /blobs/{blobId}
            /commits/a1b2c3d4                                   | /commits/{commitId}
            /reports/2024-01-31                                 | /reports/{date}
            /reports/20240131                                   | /reports/{date}
            /reports/2024-01                                    | /reports/{date}
            /events/since/2024-01-31T12:34:56Z                  | /events/since/{date}
            /invites/jane.doe@example.com                       | /invites/{inviteId}
            /videos/dQw4w9WgXcQ                                 | /videos/{videoId}
            /sessions/eyJhbGciOiJIUzI1NiJ9x                     | /sessions/{sessionId}
            /tracking/ORD-2024-00042                            | /tracking/{trackingId}
            /posts/how-to-cook-rice                             | /posts/how-to-cook-rice
            /products/iphone-15-pro-max                         | /products/iphone-15-pro-max
            /files/facade                                       | /files/facade
            /a/1/b/2/c/3                                        | /a/{aId}/b/{bId}/c/{cId}
            /7/8                                                | /{id}/{id2}
            /users/42/users/43                                  | /users/{userId}/users/{userId2}
            /posts/7/2024-02-01/9                               | /posts/{postId}/{date}/{id}
            /x/..%2f/{y}/*                                      | /x/..%2f/{id}/{id2}
            """)
    void templatesPathsTheWayAPersonWould(String raw, String expected) {
        String template = new PathTemplater().template(raw);
        assertThat(template).isEqualTo(expected);
        PathPattern.parse(template); // every template is a valid route pattern
    }

    @Test
    void slugsBecomeAParameterOnceTheirPositionHasManyDistinctValues() {
        PathTemplater t = new PathTemplater();
        for (int i = 0; i < PathTemplater.DEFAULT_MAX_LITERALS; i++)
            assertThat(t.template("/posts/recipe-number-" + word(i))).isEqualTo("/posts/recipe-number-" + word(i));
        assertThat(t.template("/posts/how-to-cook-rice")).isEqualTo("/posts/{postId}");
        assertThat(t.template("/posts/another-new-story/comments")).isEqualTo("/posts/{postId}/comments");
        assertThat(t.resolve("/posts/recipe-number-" + word(3))).isEqualTo("/posts/{postId}");
        assertThat(t.generalizations()).isEqualTo(1);
    }

    @Test
    void aliasesAndFrequentLiteralsStayNextToAParameter() {
        PathTemplater t = new PathTemplater();
        for (int i = 0; i < 50; i++) t.template("/users/me");
        for (int i = 0; i < 30; i++) t.template("/orders/summary-report");
        for (int i = 0; i < 100; i++) t.template("/orders/customer-" + word(i));
        t.template("/orders/export");
        for (int i = 0; i < 100; i++) t.template("/users/" + word(i) + "-profile");
        assertThat(t.template("/users/me")).isEqualTo("/users/me");
        assertThat(t.template("/users/someone-else")).isEqualTo("/users/{userId}");
        assertThat(t.template("/orders/export")).isEqualTo("/orders/export");
        assertThat(t.template("/orders/summary-report")).isEqualTo("/orders/summary-report");
        assertThat(t.template("/orders/customer-zzz")).isEqualTo("/orders/{orderId}");
        assertThat(t.template("/orders/search")).as("an alias seen first after generalizing").isEqualTo("/orders/search");
    }

    @Test
    void versionSegmentsStayLiteralWhateverTheirCount() {
        PathTemplater t = new PathTemplater();
        for (int v = 1; v <= 5; v++) assertThat(t.template("/api/v" + v + "/users")).isEqualTo("/api/v" + v + "/users");
    }

    @Test
    void resolvingATemplateItMadeGivesTheSameTemplate() {
        PathTemplater t = new PathTemplater();
        for (String raw : new String[]{"/users/42/orders/7", "/reports/2024-01-31", "/users/me", "/a/b/c", "/7/8"}) {
            String template = t.template(raw);
            assertThat(t.resolve(template)).as(raw).isEqualTo(template);
        }
    }

    @Test
    void aFullTrieTemplatesUnseenLiteralsAsParametersAndCountsThem() {
        PathTemplater t = new PathTemplater(4, 32);
        assertThat(t.template("/a/b")).isEqualTo("/a/b");
        assertThat(t.template("/a/c")).isEqualTo("/a/c");
        assertThat(t.nodeCount()).isEqualTo(4);
        assertThat(t.overflow()).isZero();
        assertThat(t.template("/a/d")).isEqualTo("/a/{aId}");
        assertThat(t.template("/x/y/z")).isEqualTo("/{id}/{id2}/{id3}");
        assertThat(t.template("/a/b")).isEqualTo("/a/b");
        assertThat(t.overflow()).isEqualTo(2);
        assertThat(t.nodeCount()).isEqualTo(4);
    }

    @Test
    void generalizingFreesTheNodesOfTheDroppedValues() {
        PathTemplater t = new PathTemplater(10_000, 4);
        for (int i = 0; i < 4; i++) t.template("/tags/" + word(i) + "/posts/latest");
        int before = t.nodeCount();
        t.template("/tags/" + word(9) + "/posts");
        assertThat(t.nodeCount()).isLessThan(before);
        assertThat(t.template("/tags/" + word(10) + "/posts/latest")).isEqualTo("/tags/{tagId}/posts/latest");
    }

    @Test
    void veryDeepPathsAreCutIntoParametersPastTheMaximumDepth() {
        PathTemplater t = new PathTemplater();
        String deep = "/x".repeat(PathTemplater.MAX_DEPTH + 10);
        String template = t.template(deep);
        assertThat(template.split("/")).hasSize(PathTemplater.MAX_DEPTH + 11);
        assertThat(t.nodeCount()).isEqualTo(PathTemplater.MAX_DEPTH + 1);
    }

    @Test
    void refusesCapsBelowOne() {
        assertThatThrownBy(() -> new PathTemplater(0, 10)).hasMessage("maxNodes: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new PathTemplater(10, 0)).hasMessage("maxLiterals: 0 (expected: >= 1)");
    }

    @Test
    void randomTokensAreParametersButWordsAreNot() {
        Random random = new Random(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        int ids = 0;
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 22; k++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (SegmentShape.of(b.toString()) == SegmentShape.ID) ids++;
        }
        assertThat(ids).isGreaterThanOrEqualTo(190);
        for (String word : new String[]{"settings", "how-to-cook-rice", "iphone-15-pro", "README", "logo.png", "v2", "deadbeef"})
            assertThat(SegmentShape.of(word)).as(word).isEqualTo(SegmentShape.WORD);
    }

    /** A lower-case word that no shape rule takes for an identifier. */
    static String word(int i) {
        StringBuilder b = new StringBuilder();
        int n = i;
        do {
            b.append((char) ('g' + n % 20));
            n /= 20;
        } while (n > 0);
        return "w" + b;
    }
}
