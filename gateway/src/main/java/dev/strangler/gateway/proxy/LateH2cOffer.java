package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.http.impl.Http1xOrH2CHandler;

import java.util.List;

/**
 * Keeps Vert.x from taking an h2c offer for the first request of a connection that the own server
 * ({@link OwnConnection}) served before handing it over. On a cleartext listener that speaks h2c,
 * Vert.x sets its HTTP/1.1 codec up only at the first bytes it sees, and its h2c upgrade handler
 * decides on the first request it decodes, the only one whose offer Vert.x accepts. On such a
 * connection that request is not the connection's first, so its offer must be read as on Vert.x's
 * own path: a plain request ({@code LateH2cUpgradeTest}, run over both server paths, pins it).
 *
 * <p>How: usually there is nothing left to do. At the first request the own server served, Vert.x's
 * HTTP/1.1 connection was set up as if that request had come without an offer ({@link EarlyHttp1Codec}),
 * so no upgrade handler is left to take one. Where it was not (that set-up unavailable), the start of
 * the handed-over bytes goes on a byte at a time until Vert.x has told HTTP/1.1 from the HTTP/2 preface
 * (within the preface's 24 bytes; a request line differs from it in its first two), which sets up its
 * codec; then its first decoded request passes the upgrade handler with its
 * {@code Upgrade} lines hidden ({@link Hide}) and gets them back right after ({@link Restore}), at the
 * end of its header lines. Reads Vert.x internals: the detector by class ({@code Http1xOrH2CHandler}),
 * the decoder and the upgrade handler by their names in the pipeline ({@code httpDecoder}, {@code h2c}).
 */
final class LateH2cOffer {
    private static final String DECODER = "httpDecoder";
    private static final String UPGRADE_HANDLER = "h2c";

    private LateH2cOffer() {}

    /**
     * Passes the start of {@code bytes} on from {@code ctx} (the own server's) while Vert.x still
     * detects the protocol, sets the hiding up when Vert.x then waits to decide on an h2c offer, and
     * returns the rest of the bytes for the caller to pass on.
     */
    static ByteBuf handOver(ChannelHandlerContext ctx, ByteBuf bytes) {
        ChannelPipeline pipeline = ctx.pipeline();
        // Turns only where Vert.x still detects the protocol (not set up early by EarlyHttp1Codec).
        while (bytes.isReadable() && pipeline.get(Http1xOrH2CHandler.class) != null) ctx.fireChannelRead(bytes.readRetainedSlice(1));
        if (pipeline.get(UPGRADE_HANDLER) != null && pipeline.get(DECODER) != null) {
            Restore restore = new Restore();
            pipeline.addAfter(UPGRADE_HANDLER, "stranglerLateH2cRestore", restore);
            pipeline.addAfter(DECODER, "stranglerLateH2cHide", new Hide(restore));
        }
        return bytes;
    }

    /** Takes the {@code Upgrade} lines off the first request, for {@link Restore} to put back. */
    private static final class Hide extends ChannelInboundHandlerAdapter {
        private final Restore restore;

        Hide(Restore restore) {
            this.restore = restore;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                restore.upgrades = request.headers().getAll(HttpHeaderNames.UPGRADE);
                request.headers().remove(HttpHeaderNames.UPGRADE);
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Puts the first request's {@code Upgrade} lines back once Vert.x's upgrade handler has let it through. */
    private static final class Restore extends ChannelInboundHandlerAdapter {
        private List<String> upgrades;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                if (upgrades != null) for (String u : upgrades) request.headers().add(HttpHeaderNames.UPGRADE, u);
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
