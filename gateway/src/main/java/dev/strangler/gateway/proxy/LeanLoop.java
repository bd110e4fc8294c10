package dev.strangler.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The event loop of one proxy verticle as Netty sees it, on which the lean backend client
 * ({@link LeanPool}) opens its connections, so a request and its backend connection share one thread.
 *
 * <p>The lean path is on unless the JVM is started with {@code -Dstrangler.lean-backend=false}: a
 * switch for measurement and safety, not a config key and not part of the contract.
 */
record LeanLoop(EventLoop eventLoop, ChannelFactory<? extends Channel> channels, AddressResolverGroup<InetSocketAddress> resolver) {
    static final String SWITCH = "strangler.lean-backend";

    /** Whether {@code -Dstrangler.lean-backend} leaves the lean path on (it is unless set to {@code false}). */
    static boolean isEnabled() {
        return !"false".equalsIgnoreCase(System.getProperty(SWITCH, "true").trim());
    }

    /** The loop of {@code context}, or empty when the switch turns the lean path off. */
    static Optional<LeanLoop> of(Vertx vertx, Context context) {
        if (!isEnabled()) return Optional.empty();
        return Optional.of(new LeanLoop(NettyBridge.eventLoop(context), NettyBridge.channelFactory(vertx), NettyBridge.resolver(vertx)));
    }
}
