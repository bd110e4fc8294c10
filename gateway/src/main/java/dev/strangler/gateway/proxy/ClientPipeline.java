package dev.strangler.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.vertx.core.http.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own handlers on each new HTTP/1.x connection of Vert.x's HTTP client, right after its
 * codec: {@link StrayBytes} (a connection that read bytes no request asked for is closed, not reused),
 * then {@link InterimResponses} (unknown {@code 1xx} responses dropped), then {@link AnnouncedClose} (a
 * {@code close} anywhere in a response's {@code Connection} list is heeded, and an answer read after a
 * failed write closes the connection). HTTP/2 connections get none.
 *
 * <p>It also turns off the channel's auto-close, which closed the connection on a failed write: a
 * backend that answers before reading an upload (a 403, a 413) and resets the connection makes the
 * gateway's next write of the body fail, and Netty handles the write before the read that was ready
 * at the same time, so the answer, already in the socket's receive buffer, was dropped and the user
 * got a 502 (RFC 9112 §9.5: a client sending a body watches for such an early answer). Now a failed
 * write shuts only the output: the answer is read, {@link AnnouncedClose} keeps the connection out of
 * the pool, and the read that meets the reset (or the end) closes the connection, as it always did
 * (auto-close is about writes only). HTTP/2 connections keep auto-close.
 *
 * <p>The HTTP client offers no public hook into its connection's pipeline, so this reaches the Netty
 * channel through Vert.x's connection class. Should that class change, {@link #install} logs once and
 * does nothing: the gateway keeps working, only with Vert.x's own handling of both.
 */
final class ClientPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ClientPipeline.class);
    private static volatile boolean warned;

    private ClientPipeline() {}

    /** Adds the handlers to a freshly connected backend connection (the client's connect handler). */
    static void install(HttpConnection connection) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) {
            warnOnce(connection.getClass().getName());
            return;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        if (!(pipeline.get("codec") instanceof HttpClientCodec codec) || pipeline.get(StrayBytes.class) != null) return; // HTTP/2, or done
        pipeline.addAfter("codec", "strangler-stray-bytes", StrayBytes.watching(codec));
        pipeline.addAfter("strangler-stray-bytes", "strangler-interim-responses", new InterimResponses());
        pipeline.addAfter("strangler-interim-responses", "strangler-announced-close", AnnouncedClose.INSTANCE);
        base.channel().config().setAutoClose(false); // see the class comment: an early answer is read, not dropped
    }

    /**
     * Closes a backend connection at once with a TCP reset, dropping what it still had to send: for an
     * HTTP/1.x request reset because the backend took none of its body ({@link Upload}). Vert.x's own
     * close goes through its handler, which waits for the pending writes to be flushed first, and a
     * backend that stopped reading never lets that happen: the connection and the megabytes queued for
     * it stayed open for as long as the backend lived (BackendStopsReadingTest). So the close starts below
     * Vert.x's handler, at the codec, and with SO_LINGER 0 the kernel drops the unsent bytes too and the
     * backend is told the request was abandoned rather than sent a truncated body.
     */
    static void closeAtOnce(HttpConnection connection) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) {
            connection.close();
            return;
        }
        Channel channel = base.channel();
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        ChannelHandlerContext first = channel.pipeline().firstContext();
        if (first != null) first.close(); // from the first handler towards the socket: Vert.x's handler is not on the way
        else channel.close();
    }

    private static void warnOnce(String type) {
        if (warned) return;
        warned = true;
        LOG.warn("backend connections are of an unexpected type ({}): interim 1xx responses other than 100 and 103 "
                + "are left to the HTTP client, and so are bytes read beyond a response", type);
    }
}
