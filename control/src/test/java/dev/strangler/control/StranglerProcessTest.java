package dev.strangler.control;

import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StranglerProcessTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aBusyGatewayPortFailsTheStartNamingTheListenerAndTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            GatewayConfig config = config(taken.getLocalPort(), 0);

            assertThatThrownBy(() -> StranglerProcess.start(config, 2).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(StranglerProcess.ListenFailure.class, f -> {
                        assertThat(f.listener()).isEqualTo(StranglerProcess.Listener.GATEWAY);
                        assertThat(f.address()).isEqualTo(new HostPort("127.0.0.1", taken.getLocalPort()));
                        assertThat(f.isAddressInUse()).isTrue();
                        assertThat(f.getMessage()).startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for user traffic");
                    });
        }
    }

    @Test
    void aBusyAdminPortFailsTheStartAndReleasesTheGatewayPort() throws Exception {
        int gatewayPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            gatewayPort = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            GatewayConfig config = config(gatewayPort, taken.getLocalPort());

            assertThatThrownBy(() -> StranglerProcess.start(config, 2).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(StranglerProcess.ListenFailure.class,
                            f -> assertThat(f.listener()).isEqualTo(StranglerProcess.Listener.ADMIN));
        }
        try (ServerSocket again = new ServerSocket(gatewayPort, 1, LOOPBACK)) {
            assertThat(again.getLocalPort()).isEqualTo(gatewayPort);
        }
    }

    private static GatewayConfig config(int port, int adminPort) {
        GatewayConfig c = GatewayConfig.of(Backend.of(Backend.MONOLITH, URI.create("http://127.0.0.1:1")), Map.of(), List.of());
        return new GatewayConfig(c.source(), new HostPort("127.0.0.1", port), c.tls(),
                new AdminSettings(new HostPort("127.0.0.1", adminPort), Optional.empty()), c.storeUrl(), c.monolith(),
                c.services(), c.routes(), c.accessLog(), c.drainTimeout());
    }
}
