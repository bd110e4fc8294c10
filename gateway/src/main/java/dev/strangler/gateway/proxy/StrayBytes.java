package dev.strangler.gateway.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Closes a connection of Vert.x's HTTP client that read bytes no request asked for, so it is never
 * reused: bytes beyond a whole response (a body after the answer to a HEAD, a 204 or a 304, more than
 * the Content-Length) and bytes that arrive while the connection waits idle for its next request.
 * Netty's decoder keeps such bytes as the start of the next response, and Vert.x's client hands them,
 * joined to the next request's real answer, to that request (a 502); it only closes the connection
 * when they happen to decode as a whole message. NGINX closes such an upstream connection too, and so
 * does the lean client ({@link LeanPool}).
 *
 * <p>Sits right after the client's codec. A connection with bytes beyond its response is closed
 * before the response's end reaches Vert.x, so the pool evicts it before it could hand it to a
 * waiting request; the response itself is whole and is relayed as it is. What the decoder still hands
 * over as the connection closes is dropped.
 *
 * <p>The bytes the decoder holds are read with its {@code actualReadableBytes()}, which Netty offers
 * to subclasses only: reached here through method handles made once, a call without allocation once
 * per response (and once per read on an idle connection). Should a Netty upgrade move it, the class
 * logs once and guards only against stray bytes that decode as a message.
 */
final class StrayBytes extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StrayBytes.class);
    /** {@code CombinedChannelDuplexHandler.inboundHandler()}: the codec's decoder; null when Netty moved it. */
    private static final MethodHandle DECODER_OF_CODEC;
    /** {@code ByteToMessageDecoder.actualReadableBytes()}: the bytes read and not yet decoded; null when Netty moved it. */
    private static final MethodHandle BYTES_HELD;

    static {
        MethodHandle decoderOf = null;
        MethodHandle held = null;
        try {
            Method inbound = CombinedChannelDuplexHandler.class.getDeclaredMethod("inboundHandler");
            inbound.setAccessible(true);
            decoderOf = MethodHandles.lookup().unreflect(inbound)
                    .asType(MethodType.methodType(ByteToMessageDecoder.class, HttpClientCodec.class));
            Method readable = ByteToMessageDecoder.class.getDeclaredMethod("actualReadableBytes");
            readable.setAccessible(true);
            held = MethodHandles.lookup().unreflect(readable);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Netty's decoder does not show the bytes it holds ({}): a backend connection of Vert.x's client that "
                    + "read bytes beyond a response is closed only when they decode as a message", e.toString());
            decoderOf = null;
            held = null;
        }
        DECODER_OF_CODEC = decoderOf;
        BYTES_HELD = held;
    }

    /** The codec's decoder, or null when its held bytes cannot be read. */
    private final ByteToMessageDecoder decoder;
    /** A request went out and its final response has not ended yet. */
    private boolean awaiting;
    /** The response being read has a final head ({@code >= 200}): its last content ends the request's exchange. */
    private boolean finalResponse;
    /** The connection switched protocols ({@code 101}): what it reads from here on is not HTTP responses. */
    private boolean tunnel;
    /** Closed for stray bytes: whatever the decoder still hands over is none of a request's answer. */
    private boolean closing;

    private StrayBytes(ByteToMessageDecoder decoder) {
        this.decoder = decoder;
    }

    /** A guard for a connection whose codec is {@code codec}. */
    static StrayBytes watching(HttpClientCodec codec) {
        return new StrayBytes(decoderOf(codec));
    }

    private static ByteToMessageDecoder decoderOf(HttpClientCodec codec) {
        if (DECODER_OF_CODEC == null) return null;
        try {
            return (ByteToMessageDecoder) DECODER_OF_CODEC.invokeExact(codec);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Whether the decoder holds bytes it read beyond the last message it handed over. */
    private boolean decoderHoldsBytes() {
        if (decoder == null) return false;
        try {
            return (int) BYTES_HELD.invokeExact(decoder) > 0;
        } catch (Throwable e) {
            return false;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpRequest) awaiting = true;
        ctx.write(msg, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (tunnel || !(msg instanceof HttpObject)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing || !awaiting) { // a message no request asked for (Vert.x would fail on it and close too)
            ReferenceCountUtil.release(msg);
            close(ctx);
            return;
        }
        if (msg instanceof HttpResponse head) {
            int status = head.status().code();
            tunnel = status == 101;
            finalResponse = status >= 200;
        }
        if (finalResponse && msg instanceof LastHttpContent) {
            awaiting = false;
            finalResponse = false;
            // Before Vert.x hears of the end, which hands the connection back to its pool.
            if (decoderHoldsBytes()) close(ctx);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Bytes read on an idle connection that decode as no message yet (a late body for a HEAD's answer).
        if (!awaiting && !tunnel && !closing && decoderHoldsBytes()) close(ctx);
        ctx.fireChannelReadComplete();
    }

    private void close(ChannelHandlerContext ctx) {
        if (closing) return;
        closing = true;
        ctx.channel().close(); // from the pipeline's tail, through Vert.x's handler: the pool evicts the connection at once
    }
}
