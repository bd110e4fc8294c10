package dev.strangler.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.impl.Http1xOrH2CHandler;
import io.vertx.core.http.impl.Http1xUpgradeToH2CHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Has Vert.x set its HTTP/1.1 codec up on a connection as soon as the own server ({@link OwnConnection})
 * has served its first request, instead of at the hand-over, which most connections never reach.
 *
 * <p>Why: on a cleartext listener that speaks h2c, Vert.x first makes every accepted connection a plain
 * socket ({@code NetSocketImpl}) and waits for its first bytes to tell HTTP/1.1 from the HTTP/2 preface
 * ({@code Http1xOrH2CHandler}). The own server takes those bytes, so the detector never decided and the
 * socket stayed for the connection's life, with an inbound queue whose first chunk is an array of 1,024
 * slots: about 4.7 KB of heap per connection, 41 MB of live heap with 10,000 idle connections
 * (docs/performance.md, "Issue 14, fourteenth round"). Once a request was served the preface can no
 * longer come (RFC 9113 §3.3: it opens the connection), so the detector's answer is known to be
 * HTTP/1.1, and Vert.x's connection replaces the socket as on Vert.x's own path.
 *
 * <p>How: what Vert.x does itself, step by step, without the bytes. First the detector's decision on a
 * first byte that is not the preface's ({@code Http1xOrH2CHandler.configure(ctx, false)}: the codec, and
 * the h2c upgrade handler), and the detector's removal. Then the upgrade handler's decision on a first
 * request without an offer ({@code HttpServerConnectionInitializer.configureHttp1Handler}, with the
 * handler's own arguments: Vert.x's HTTP/1.1 connection in place of the socket), and its removal. Vert.x
 * then calls the listener's connection handler, as it would have at the hand-over. These are non-public
 * members of Vert.x internals, reached by reflection ({@code EarlyHttp1CodecTest} fails should a Vert.x
 * upgrade move one). An h2c offer on a request handed over later meets no upgrade handler, so it is a
 * plain request, as on Vert.x's own path for any request but a connection's first
 * ({@code LateH2cUpgradeTest}). Where the set-up cannot be had, the own path serves nothing
 * ({@link OwnConnection}): the first request goes to Vert.x's detector as on Vert.x's own path.
 */
final class EarlyHttp1Codec {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyHttp1Codec.class);
    /** Vert.x's name of its h2c upgrade handler in the pipeline. */
    private static final String UPGRADE_HANDLER = "h2c";
    private static final Reach VERTX = Reach.find();
    /** Set when a set-up failed half-way: from then on none is tried (each failure would cost a connection), and the own path serves nothing. */
    private static volatile boolean failed;

    private EarlyHttp1Codec() {}

    /**
     * Sets Vert.x's HTTP/1.1 connection up when its protocol detector still waits on {@code pipeline}
     * (call on the channel's event loop). Whether Vert.x's HTTP/1.1 connection is in place now: set up
     * here, or at accept (a listener without h2c has no detector); false when it cannot be set up.
     */
    static boolean setUp(ChannelPipeline pipeline) {
        ChannelHandlerContext detector = pipeline.context(Http1xOrH2CHandler.class);
        if (detector == null) return true;
        if (VERTX == null || failed) return false;
        try {
            VERTX.detectorDecides.invoke(detector.handler(), detector, false);
            pipeline.remove(detector.handler());
            if (pipeline.get(UPGRADE_HANDLER) instanceof Http1xUpgradeToH2CHandler upgrade) {
                VERTX.configureHttp1Handler.invoke(VERTX.initializer.get(upgrade), pipeline,
                        VERTX.sslChannelProvider.get(upgrade), VERTX.sslContextManager.get(upgrade));
                pipeline.remove(upgrade);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Half set up, the connection may not serve a hand-over right: it is closed, and no other tries.
            failed = true;
            LOG.warn("could not set Vert.x's HTTP/1.1 connection up early: that connection is closed, and from now on "
                    + "every request is served by Vert.x's server (the own server path is off)", e);
            pipeline.channel().close();
            return false;
        }
    }

    /** The Vert.x members used, found once. */
    private record Reach(Method detectorDecides, Field initializer, Field sslChannelProvider, Field sslContextManager,
                         Method configureHttp1Handler) {
        static Reach find() {
            try {
                Method decides = Http1xOrH2CHandler.class.getDeclaredMethod("configure", ChannelHandlerContext.class, boolean.class);
                Field initializer = Http1xUpgradeToH2CHandler.class.getDeclaredField("initializer");
                Field provider = Http1xUpgradeToH2CHandler.class.getDeclaredField("sslChannelProvider");
                Field manager = Http1xUpgradeToH2CHandler.class.getDeclaredField("sslContextManager");
                Method configure = initializer.getType().getDeclaredMethod("configureHttp1Handler",
                        ChannelPipeline.class, provider.getType(), manager.getType());
                for (var member : new java.lang.reflect.AccessibleObject[] {decides, initializer, provider, manager, configure})
                    member.setAccessible(true);
                return new Reach(decides, initializer, provider, manager, configure);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("Vert.x's HTTP/1.1 set-up is not where Strangler looks for it: every request is served by "
                        + "Vert.x's server (the own server path is off)", e);
                return null;
            }
        }
    }
}
