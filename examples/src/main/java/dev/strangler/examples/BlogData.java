package dev.strangler.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The blog's data and its JSON wire format, shared by {@link DemoMonolith} and
 * {@link DemoPostsService}.
 *
 * <p>Both apps serialize through this one class on purpose: the extracted service must answer
 * byte for byte what the monolith answers, so that a shadowed route diffs clean unless a test
 * makes it differ. The sample is generated deterministically (no randomness, fixed
 * timestamps), so two instances of {@link #sample()} hold equal data and tests can name ids.
 *
 * <p>Users and comments are fixed. Posts grow through {@link #create(PostDraft)}; the store is
 * safe to share between servers running on different event loops (the demo gives both apps
 * one instance, so a post written through either side is readable through the other).
 */
public final class BlogData {

    /** A user of the blog. */
    public record User(long id, String name, String handle, String email) {}

    /** A published post. */
    public record Post(long id, long authorId, String title, String body, List<String> tags, Instant createdAt) {
        public Post {
            tags = List.copyOf(tags);
        }
    }

    /** A comment on a post. */
    public record Comment(long id, long postId, long authorId, String body, Instant createdAt) {}

    /** What a client sends to create a post; checked by {@link #create(PostDraft)}. */
    public record PostDraft(long authorId, String title, String body, List<String> tags) {
        public PostDraft {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(body, "body");
            tags = List.copyOf(tags);
        }
    }

    /** Number of users in {@link #sample()}. */
    public static final int SAMPLE_USERS = 5;
    /** Number of posts in {@link #sample()}, ids 1..SAMPLE_POSTS. */
    public static final int SAMPLE_POSTS = 20;
    /** Largest title a draft may carry, in characters. */
    public static final int MAX_TITLE_LENGTH = 200;

    private static final Instant SAMPLE_EPOCH = Instant.parse("2024-01-08T09:00:00Z");
    private static final String[][] PEOPLE = {
        {"Ada Lovelace", "ada"},
        {"Grace Hopper", "grace"},
        {"Alan Turing", "alan"},
        {"Margaret Hamilton", "margaret"},
        {"Edsger Dijkstra", "edsger"},
    };
    private static final String[] SUBJECTS = {
        "caching", "feature flags", "database migrations", "load shedding", "API versioning",
        "observability", "retries", "connection pools", "canary releases", "schema evolution",
    };
    private static final String[] TITLE_FORMS = {"Notes on %s", "What production taught us about %s"};
    private static final String[] REMARKS = {
        "Great write-up, thanks!",
        "We hit exactly this last quarter.",
        "How did you measure the impact?",
        "Bookmarked for the next incident review.",
    };

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Clock clock;
    private final List<User> users;
    private final Map<Long, List<Comment>> commentsByPost;
    private final ConcurrentSkipListMap<Long, Post> posts = new ConcurrentSkipListMap<>();
    private final AtomicLong nextPostId;

    private BlogData(Clock clock, List<User> users, List<Post> posts, Map<Long, List<Comment>> commentsByPost) {
        this.clock = clock;
        this.users = List.copyOf(users);
        this.commentsByPost = Map.copyOf(commentsByPost);
        posts.forEach(p -> this.posts.put(p.id(), p));
        this.nextPostId = new AtomicLong(this.posts.isEmpty() ? 1 : this.posts.lastKey() + 1);
    }

    /** The deterministic sample; created posts are stamped with the system UTC clock. */
    public static BlogData sample() {
        return sample(Clock.systemUTC());
    }

    /** The deterministic sample; created posts are stamped with {@code clock}. */
    public static BlogData sample(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < PEOPLE.length; i++) {
            String handle = PEOPLE[i][1];
            users.add(new User(i + 1, PEOPLE[i][0], handle, handle + "@example.com"));
        }
        List<Post> posts = new ArrayList<>();
        Map<Long, List<Comment>> comments = new HashMap<>();
        long commentId = 1;
        for (int i = 1; i <= SAMPLE_POSTS; i++) {
            String subject = SUBJECTS[(i - 1) % SUBJECTS.length];
            String title = TITLE_FORMS[(i - 1) / SUBJECTS.length % TITLE_FORMS.length].formatted(subject);
            long authorId = (i - 1) % SAMPLE_USERS + 1;
            Instant createdAt = SAMPLE_EPOCH.plus(Duration.ofDays(i - 1));
            String body = "Part %d of our series. This one is about %s: what we tried, what broke, and what we kept."
                    .formatted(i, subject);
            List<String> tags = List.of(subject.split(" ")[0].toLowerCase(), i % 2 == 0 ? "operations" : "design");
            posts.add(new Post(i, authorId, title, body, tags, createdAt));
            List<Comment> onPost = new ArrayList<>();
            for (int k = 0; k < i % 4; k++) {
                long commenter = (i + k) % SAMPLE_USERS + 1;
                onPost.add(new Comment(commentId++, i, commenter, REMARKS[(i + k) % REMARKS.length],
                        createdAt.plus(Duration.ofHours(k + 1))));
            }
            comments.put((long) i, List.copyOf(onPost));
        }
        return new BlogData(clock, users, posts, comments);
    }

    public List<User> users() {
        return users;
    }

    public Optional<User> user(long id) {
        return users.stream().filter(u -> u.id() == id).findFirst();
    }

    /** Every post, oldest first (by id). */
    public List<Post> posts() {
        return List.copyOf(posts.values());
    }

    public Optional<Post> post(long id) {
        return Optional.ofNullable(posts.get(id));
    }

    /** The comments on a post, oldest first; empty when the post has none or does not exist. */
    public List<Comment> comments(long postId) {
        return commentsByPost.getOrDefault(postId, List.of());
    }

    /**
     * Publishes a post under the next free id.
     *
     * @throws IllegalArgumentException listing every problem with the draft
     */
    public Post create(PostDraft draft) {
        Objects.requireNonNull(draft, "draft");
        List<String> problems = new ArrayList<>();
        if (user(draft.authorId()).isEmpty()) {
            problems.add("authorId: no user with id %d".formatted(draft.authorId()));
        }
        if (draft.title().isBlank()) {
            problems.add("title: must not be blank");
        } else if (draft.title().length() > MAX_TITLE_LENGTH) {
            problems.add("title: at most %d characters, was %d".formatted(MAX_TITLE_LENGTH, draft.title().length()));
        }
        if (draft.body().isBlank()) {
            problems.add("body: must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        long id = nextPostId.getAndIncrement();
        Post post = new Post(id, draft.authorId(), draft.title().strip(), draft.body(), draft.tags(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        posts.put(id, post);
        return post;
    }

    /**
     * Reads a draft from a JSON request body: {@code {"authorId": 1, "title": "...", "body":
     * "...", "tags": ["..."]}} ({@code tags} optional).
     *
     * @throws IllegalArgumentException when the body is not such an object, naming every problem
     */
    public static PostDraft parseDraft(Buffer body) {
        JsonNode node;
        try {
            node = JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body: not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("body: could not be read (" + e.getMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("body: expected a JSON object");
        }
        List<String> problems = new ArrayList<>();
        JsonNode authorId = node.path("authorId");
        if (!authorId.canConvertToLong() || !authorId.isIntegralNumber()) {
            problems.add("authorId: required, a whole number");
        }
        for (String field : List.of("title", "body")) {
            if (!node.path(field).isTextual()) {
                problems.add(field + ": required, a string");
            }
        }
        List<String> tags = new ArrayList<>();
        JsonNode tagsNode = node.path("tags");
        if (!tagsNode.isMissingNode() && !tagsNode.isNull()) {
            if (!tagsNode.isArray()) {
                problems.add("tags: must be an array of strings");
            } else {
                tagsNode.forEach(t -> {
                    if (t.isTextual()) {
                        tags.add(t.asText());
                    } else {
                        problems.add("tags: must be an array of strings, found " + t.getNodeType().name().toLowerCase());
                    }
                });
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new PostDraft(authorId.asLong(), node.get("title").asText(), node.get("body").asText(), tags);
    }

    /** A blog id from a path segment or header: a positive whole number, else empty. */
    public static Optional<Long> parseId(String text) {
        try {
            long id = Long.parseLong(text);
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The JSON body of {@code value} (a record from this class, a list of them, or a map). */
    public static Buffer toJson(Object value) {
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /** The JSON error body both apps send: {@code {"error": code, "message": message}}. */
    public static Buffer errorJson(String code, String message) {
        return toJson(new ErrorBody(code, message));
    }

    private record ErrorBody(String error, String message) {}
}
