package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.resolver.AddressResolverGroup;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Where the lean backend client ({@link LeanPool}) reaches below Vert.x's public API: the Netty
 * event loop, channel type and resolver behind a Vert.x instance, and Vert.x's header and buffer
 * types, which are Netty's underneath (so a response head read by Netty is relayed, and a body chunk
 * written, without a copy).
 *
 * <p>All of it is Vert.x internals ({@code io.vertx.core.internal}, {@code ...impl...}), which may
 * change in any Vert.x release. It is kept in this one class so an upgrade has one place to look for
 * the lean path (the connection's channel, reached through {@code ConnectionBase}, is the other use:
 * {@link GuardedListener}, checked by {@code StrictParsingTest}, and {@link ClientPipeline}, checked by
 * {@code BackendConnectionReuseTest} and {@code StrayBytesTest});
 * {@code NettyBridgeTest} fails when any of it moves, and {@code -Dstrangler.lean-backend=false}
 * turns the path off (see {@link LeanLoop}).
 */
final class NettyBridge {
    private NettyBridge() {}

    /** The Netty event loop that runs {@code context}'s tasks: the thread a request's exchange runs on. */
    static EventLoop eventLoop(Context context) {
        return ((ContextInternal) context).nettyEventLoop();
    }

    /** TCP channels of the transport Vert.x chose (epoll where it loads, NIO otherwise). */
    static ChannelFactory<? extends Channel> channelFactory(Vertx vertx) {
        return ((VertxInternal) vertx).transport().channelFactory(false);
    }

    /** Vert.x's non-blocking name resolver, so a backend's host name is never resolved on the event loop by blocking. */
    static AddressResolverGroup<InetSocketAddress> resolver(Vertx vertx) {
        return ((VertxInternal) vertx).nameResolver().nettyAddressResolverGroup();
    }

    /** Makes the response decoder fill Vert.x's header map, which is a Netty {@link HttpHeaders} too. */
    static final HttpHeadersFactory HEADERS = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return HeadersMultiMap.httpHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return HeadersMultiMap.httpHeaders();
        }
    };

    /**
     * {@code headers} as the Netty headers they are underneath (Vert.x's {@code HeadersMultiMap}, which an
     * HTTP/1.x server response's {@code headers()} is), so a decoder can fill them; null when they are not.
     */
    static HttpHeaders asNettyHeaders(MultiMap headers) {
        return headers instanceof HttpHeaders netty ? netty : null;
    }

    /** Netty's headers as a Vert.x map: the same object when the decoder made them with {@link #HEADERS}. */
    static MultiMap asMultiMap(HttpHeaders headers) {
        if (headers instanceof MultiMap same) return same;
        MultiMap copy = io.vertx.core.http.HttpHeaders.headers();
        for (Map.Entry<String, String> h : headers) copy.add(h.getKey(), h.getValue());
        return copy;
    }

    /**
     * {@code bytes} as a Vert.x buffer, without copying. Vert.x writes a pooled buffer as an
     * unreleasable slice, so the caller keeps its reference and releases it once the write completed.
     */
    static Buffer wrap(ByteBuf bytes) {
        return BufferInternal.buffer(bytes);
    }
}
