package dev.strangler.gateway.observe;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestDetailsTest {
    @Test
    void aPeersAddressIsItsHostAddressEveryTimeAndEmptyWhenUnknown() {
        SocketAddress peer = SocketAddress.inetSocketAddress(40_000, "10.1.2.3");

        assertThat(RequestDetails.addressOf(peer)).isEqualTo("10.1.2.3");
        assertThat(RequestDetails.addressOf(peer)).isEqualTo("10.1.2.3");
        assertThat(RequestDetails.addressOf(SocketAddress.inetSocketAddress(40_000, "::1"))).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(RequestDetails.addressOf(SocketAddress.domainSocketAddress("/tmp/strangler.sock"))).isEmpty();
        assertThat(RequestDetails.addressOf(null)).isEmpty();
    }

    @Test
    void peersThatShareACacheSlotEachKeepTheirOwnAddress() {
        // Many connections from many clients: find two whose addresses land in the same of the cache's 256 slots.
        Map<Integer, SocketAddress> bySlot = new java.util.HashMap<>();
        Map<SocketAddress, String> texts = new IdentityHashMap<>();
        SocketAddress first = null;
        SocketAddress second = null;
        for (int i = 0; second == null; i++) {
            String text = "10.0." + (i / 250) + "." + (i % 250 + 1);
            SocketAddress peer = SocketAddress.inetSocketAddress(40_000, text);
            texts.put(peer, text);
            SocketAddress sharing = bySlot.putIfAbsent(System.identityHashCode(peer) & 255, peer);
            if (sharing != null) {
                first = sharing;
                second = peer;
            }
        }

        assertThat(RequestDetails.addressOf(first)).isEqualTo(texts.get(first));
        assertThat(RequestDetails.addressOf(second)).isEqualTo(texts.get(second));
        assertThat(RequestDetails.addressOf(first)).isEqualTo(texts.get(first));
        assertThat(RequestDetails.addressOf(second)).isEqualTo(texts.get(second));
    }
}
