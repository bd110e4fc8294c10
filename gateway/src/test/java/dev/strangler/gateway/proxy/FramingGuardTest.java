package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FramingGuardTest {
    private static String through(String... reads) {
        EmbeddedChannel channel = new EmbeddedChannel(new FramingGuard());
        for (String r : reads) channel.writeInbound(Unpooled.copiedBuffer(r, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readInbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    @Test
    void aFoldedHeaderIsReplacedByTheRefusal() {
        String out = through("POST /folded HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n");
        assertThat(out).startsWith("POST /folded HTTP/1.1\r\n").contains("X-Strangler-Refused: 400 folded-header").doesNotContain("chunked");
    }
}
