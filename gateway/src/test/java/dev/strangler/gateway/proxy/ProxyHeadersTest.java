package dev.strangler.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersTest {
    @Test
    void hopByHopHeadersAreDroppedWhateverTheirCaseAndEverythingElseIsKeptAsWritten() {
        MultiMap source = HttpHeaders.headers()
                .add("Connection", "keep-alive, X-Secret-Hop").add("KEEP-ALIVE", "timeout=5").add("Proxy-Connection", "x")
                .add("proxy-authenticate", "Basic").add("Proxy-Authorization", "Basic abc").add("TE", "trailers")
                .add("Trailer", "X-Sum").add("Transfer-Encoding", "chunked").add("Upgrade", "websocket")
                .add("HTTP2-Settings", "AAA").add("x-secret-hop", "named by Connection")
                .add("Host", "example.org").add("X-Te", "kept").add("Upgrade-Insecure-Requests", "1")
                .add("Content-Type", "application/json").add("Accept", "a").add("Accept", "b");

        MultiMap toBackend = ProxyHeaders.endToEnd(source, true);

        assertThat(toBackend.names()).containsExactlyInAnyOrder("X-Te", "Upgrade-Insecure-Requests", "Content-Type", "Accept");
        assertThat(toBackend.getAll("Accept")).containsExactly("a", "b");
        assertThat(ProxyHeaders.endToEnd(source, false).get("Host")).isEqualTo("example.org");
    }

    @Test
    void replacingHeadersDropsWhatTheTargetHadBefore() {
        MultiMap target = HttpHeaders.headers().add("X-Old", "1");

        ProxyHeaders.replaceWithEndToEnd(HttpHeaders.headers().add("X-New", "2").add("Keep-Alive", "timeout=5"), target);

        assertThat(target.names()).containsExactly("X-New");
    }

    @Test
    void aFreshRequestIdIs32LowerCaseHexDigitsAndASaneClientIdIsKept() {
        assertThat(ProxyHeaders.requestId(null)).matches("[0-9a-f]{32}");
        assertThat(ProxyHeaders.requestId("bad id")).matches("[0-9a-f]{32}").isNotEqualTo(ProxyHeaders.requestId("bad id"));
        assertThat(ProxyHeaders.requestId("abc-123")).isEqualTo("abc-123");
    }
}
