package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.stage.Decider;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port 0 means one port the system picks, listened on by every event loop of the gateway, and bound
 * once: no free port is looked up first and bound again later (another socket could take it in between,
 * which once failed a test with a BindException under load).
 */
class ListenerPortTest {
    @Test
    void everyEventLoopOfAGatewayOnPortZeroListensOnItsOnePortAndTwoGatewaysGetTwoPorts() throws Exception {
        Vertx vertx = Vertx.vertx();
        GatewayConfig config = GatewayConfig.of(Backend.of(Backend.MONOLITH, URI.create("http://127.0.0.1:9")), Map.of(), List.of());
        try {
            Gateway first = Gateway.start(vertx, config, new Decider(new Random(1)), o -> {}, 3)
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            Gateway second = Gateway.start(vertx, config, new Decider(new Random(1)), o -> {}, 2)
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

            assertThat(first.port()).isPositive();
            assertThat(first.instancePorts()).hasSize(3).containsOnly(first.port());
            assertThat(second.instancePorts()).hasSize(2).containsOnly(second.port());
            assertThat(second.port()).as("a listener of its own").isNotEqualTo(first.port());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
