package dev.strangler.examples;

import static dev.strangler.examples.DemoHttp.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The demo monolith and one extracted service over the same sample data, on loopback ports, as the
 * demo runs them: started once before a test class, stopped after it (service first). Register it
 * with {@code @RegisterExtension static final SharedBlog<...>}.
 *
 * @param <S> the extracted service
 */
final class SharedBlog<S> implements BeforeAllCallback, AfterAllCallback {
    /** How the service starts ({@code DemoPostsService::start}, {@code DemoUsersService::start}). */
    @FunctionalInterface
    interface Starter<S> {
        Future<S> start(Vertx vertx, String host, int port, BlogData data);
    }

    private final Starter<S> starter;
    private final Function<S, Future<Void>> stopper;
    private Vertx vertx;
    private DemoMonolith monolith;
    private S service;

    SharedBlog(Starter<S> starter, Function<S, Future<Void>> stopper) {
        this.starter = Objects.requireNonNull(starter, "starter");
        this.stopper = Objects.requireNonNull(stopper, "stopper");
    }

    DemoMonolith monolith() {
        return monolith;
    }

    S service() {
        return service;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        vertx = Vertx.vertx();
        BlogData shared = BlogData.sample();
        monolith = await(DemoMonolith.start(vertx, "127.0.0.1", 0, shared));
        service = await(starter.start(vertx, "127.0.0.1", 0, shared));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (service != null) await(stopper.apply(service));
        if (monolith != null) await(monolith.stop());
        if (vertx != null) await(vertx.close());
    }
}
