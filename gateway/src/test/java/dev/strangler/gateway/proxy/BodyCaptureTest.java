package dev.strangler.gateway.proxy;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BodyCaptureTest {

    @Test
    void anAnnouncedLengthPastTheLimitDropsNothingWhenNoBytesCome() {
        // a HEAD's answer announces its GET's length and has no body: it is compared, not dropped
        BodyCapture capture = new BodyCapture(1024);
        capture.expect(1_000_000);

        assertThat(capture.captured()).isEmpty();
    }

    @Test
    void chunksOfAnUnknownLengthAreKeptInOrderAcrossTheArraysGrowth() {
        BodyCapture capture = new BodyCapture(4096);
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String chunk = (i + ":").repeat(20);
            sent.append(chunk);
            assertThat(i % 2 == 0 ? capture.add(Buffer.buffer(chunk)) : capture.add(Unpooled.copiedBuffer(chunk, StandardCharsets.US_ASCII)))
                    .isTrue();
        }

        assertThat(new String(capture.captured(), StandardCharsets.US_ASCII)).isEqualTo(sent.toString());
    }

    @Test
    void theAnnouncedLengthIsFilledExactlyAndAByteMoreDropsTheCapture() {
        BodyCapture capture = new BodyCapture(8);
        capture.expect(8);
        assertThat(capture.add(Unpooled.copiedBuffer("abcd", StandardCharsets.US_ASCII))).isTrue();
        assertThat(capture.add(Buffer.buffer("efgh"))).isTrue();
        assertThat(capture.captured()).asString(StandardCharsets.US_ASCII).isEqualTo("abcdefgh");

        assertThat(capture.add(Buffer.buffer("i"))).isFalse();
        assertThat(capture.captured()).isNull();
    }

    @Test
    void readingABufferLeavesItsReaderIndexForTheClientsWrite() {
        BodyCapture capture = new BodyCapture(64);
        var bytes = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
        capture.add(bytes);

        assertThat(bytes.readableBytes()).isEqualTo(5);
    }
}
