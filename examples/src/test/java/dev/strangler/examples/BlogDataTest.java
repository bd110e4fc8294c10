package dev.strangler.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlogDataTest {

    @Test
    void theSampleIsTheSameEveryTime() {
        BlogData a = BlogData.sample();
        BlogData b = BlogData.sample();

        assertThat(a.users()).hasSize(BlogData.SAMPLE_USERS).isEqualTo(b.users());
        assertThat(a.posts()).hasSize(BlogData.SAMPLE_POSTS).isEqualTo(b.posts());
        assertThat(BlogData.toJson(a.comments(3))).isEqualTo(BlogData.toJson(b.comments(3)));
        assertThat(a.posts()).allSatisfy(p -> assertThat(a.user(p.authorId())).isPresent());
    }

    @Test
    void createdPostsTakeTheNextIdAndTheInjectedClock() {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");
        BlogData data = BlogData.sample(Clock.fixed(now, ZoneOffset.UTC));

        BlogData.Post post = data.create(new BlogData.PostDraft(2, " Title ", "Body", List.of("x")));

        assertThat(post.id()).isEqualTo(BlogData.SAMPLE_POSTS + 1);
        assertThat(post.title()).isEqualTo("Title");
        assertThat(post.createdAt()).isEqualTo(now);
        assertThat(data.post(post.id())).contains(post);
    }

    @Test
    void aDraftWithSeveralProblemsNamesThemAll() {
        assertThatThrownBy(() -> BlogData.parseDraft(Buffer.buffer("{\"authorId\": \"one\", \"tags\": [1]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("authorId: required", "title: required", "body: required", "tags: must be an array of strings");
    }

    @Test
    void idsArePositiveWholeNumbers() {
        assertThat(BlogData.parseId("12")).contains(12L);
        assertThat(BlogData.parseId("0")).isEmpty();
        assertThat(BlogData.parseId("-3")).isEmpty();
        assertThat(BlogData.parseId("me")).isEmpty();
    }
}
