package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frames {@link MalformedStreams} follows on the way out: only a real {@code RST_STREAM PROTOCOL_ERROR} counts. */
class MalformedStreamsTest {
    private static byte[] frame(int type, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >> 16);
        f[1] = (byte) (payload.length >> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[5] = (byte) (stream >> 24);
        f[6] = (byte) (stream >> 16);
        f[7] = (byte) (stream >> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    private static byte[] reset(int stream, int code) {
        return frame(3, stream, new byte[] {0, 0, 0, (byte) code});
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    /** Writes {@code bytes} in pieces cut at {@code cut} and returns the streams reported. */
    private static List<Integer> reported(byte[] bytes, int cut) {
        List<Integer> streams = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new MalformedStreams(streams::add));
        for (int at = 0; at < bytes.length; at += cut) channel.writeOutbound(Unpooled.wrappedBuffer(bytes, at, Math.min(cut, bytes.length - at)));
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) out.release();
        channel.finishAndReleaseAll();
        return streams;
    }

    @Test
    void aProtocolErrorResetOfAClientStreamIsReportedWhereverTheWritesAreCut() {
        // SETTINGS, a DATA frame whose payload looks like a reset of stream 5, then real resets.
        byte[] forged = reset(5, 1);
        byte[] bytes = concat(frame(4, 0, new byte[0]), frame(0, 1, forged), reset(3, 8), reset(4, 1), reset(7, 1));
        for (int cut = 1; cut <= bytes.length; cut++)
            assertThat(reported(bytes, cut)).as("cut every %d bytes", cut).containsExactly(7);
    }
}
