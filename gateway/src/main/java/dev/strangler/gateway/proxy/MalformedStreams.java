package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Reports the HTTP/2 streams Netty's codec resets before they become requests: a {@code HEADERS}
 * frame it refuses while decoding it (an upper-case or connection-specific header name such as
 * {@code connection}, a pseudo-header it does not know, one missing). Netty answers such a stream
 * with {@code RST_STREAM PROTOCOL_ERROR} (RFC 9113 §8.1.1, §8.2.2), which is right and stays so;
 * but the stream never existed for Vert.x, whose {@code onStreamError} drops an error of a stream it
 * does not know, so neither the request handler nor any exception handler hears of it.
 *
 * Vert.x itself resets a stream whose header block lacks a pseudo-header it needs ({@code :path}) the
 * same way, without a word either.
 *
 * <p>What is left to see is the reset itself. This handler sits just before the codec's
 * {@link Http2ConnectionHandler}, on the outbound side, and follows the frames it writes (each frame
 * header, then its payload, skipped by length, whichever writes carry them): a {@code RST_STREAM}
 * with {@code PROTOCOL_ERROR} for a client stream above the last one handed to the request handler
 * ({@link #requestArrived}) is one of these. A client opens streams in increasing order (RFC 9113
 * §5.1.1) and Vert.x hands them over in that order, so a stream that became a request is never above
 * it; such a stream's reset (by Netty for a body longer than its {@code content-length}, say) reaches
 * the request as an exception, and is reported there. Only frame headers are read; a payload's bytes,
 * a backend's included, can never pass for a frame.
 */
final class MalformedStreams extends ChannelOutboundHandlerAdapter {
    static final String NAME = "stranglerMalformedStreams";
    private static final int FRAME_HEADER = 9;
    private static final byte RST_STREAM = 3;

    /** The connection's watch, for the request handler to tell it of each request. */
    private static final AttributeKey<MalformedStreams> KEY = AttributeKey.valueOf(MalformedStreams.class, "watch");

    private final IntConsumer onMalformed;
    /** The highest stream id handed to the request handler. */
    private int lastRequestStream;
    /** The frame header being read, when a write ended inside it. */
    private final byte[] header = new byte[FRAME_HEADER];
    private int headerRead;
    /** Payload bytes of the current frame still to come, and whether that frame is a reset whose error code is awaited. */
    private long payloadLeft;
    private boolean resetFrame;
    private int resetStream;
    private final byte[] errorCode = new byte[4];
    private int errorCodeRead;

    MalformedStreams(IntConsumer onMalformed) {
        this.onMalformed = onMalformed;
    }

    /** Tells the watch of {@code request}'s connection, if it has one, that this HTTP/2 stream became a request. */
    static void requestArrived(HttpServerRequest request) {
        if (!(request.connection() instanceof io.vertx.core.net.impl.ConnectionBase base)) return;
        MalformedStreams watch = base.channel().attr(KEY).get();
        if (watch != null && request.streamId() > watch.lastRequestStream) watch.lastRequestStream = request.streamId();
    }

    /**
     * Watches the HTTP/2 codec of {@code connection}'s pipeline, if it has one (the channel is reached
     * as {@link GuardedListener} reaches it), calling {@code onMalformed} with the id
     * of each stream it resets unknown; returns whether it had one. Run on the channel's event loop.
     */
    static boolean watch(HttpConnection connection, IntConsumer onMalformed) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) return false;
        ChannelPipeline pipeline = base.channel().pipeline();
        for (Map.Entry<String, io.netty.channel.ChannelHandler> entry : pipeline) {
            if (entry.getValue() instanceof Http2ConnectionHandler) {
                if (pipeline.get(NAME) != null) return true;
                MalformedStreams watch = new MalformedStreams(onMalformed);
                pipeline.addBefore(entry.getKey(), NAME, watch);
                base.channel().attr(KEY).set(watch);
                return true;
            }
        }
        return false;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf frames) read(frames, frames.readerIndex(), frames.writerIndex());
        ctx.write(msg, promise);
    }

    /** Follows the frames in {@code bytes[from, to)}, read in place. */
    private void read(ByteBuf bytes, int from, int to) {
        int at = from;
        while (at < to) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, to - at);
                if (resetFrame) readErrorCode(bytes, at, n);
                payloadLeft -= n;
                at += n;
                continue;
            }
            header[headerRead++] = bytes.getByte(at++);
            if (headerRead == FRAME_HEADER) startFrame();
        }
    }

    private void startFrame() {
        headerRead = 0;
        payloadLeft = ((header[0] & 0xffL) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        resetFrame = header[3] == RST_STREAM && payloadLeft == 4;
        resetStream = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8) | (header[8] & 0xff);
        errorCodeRead = 0;
    }

    private void readErrorCode(ByteBuf bytes, int at, int n) {
        for (int i = 0; i < n && errorCodeRead < 4; i++) errorCode[errorCodeRead++] = bytes.getByte(at + i);
        if (errorCodeRead < 4) return;
        resetFrame = false;
        long code = ((errorCode[0] & 0xffL) << 24) | ((errorCode[1] & 0xff) << 16) | ((errorCode[2] & 0xff) << 8) | (errorCode[3] & 0xff);
        // Odd: a stream the client opened (RFC 9113 §5.1.1).
        if (code == Http2Error.PROTOCOL_ERROR.code() && (resetStream & 1) == 1 && resetStream > lastRequestStream)
            onMalformed.accept(resetStream);
    }
}
