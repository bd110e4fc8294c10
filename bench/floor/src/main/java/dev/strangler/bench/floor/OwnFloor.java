package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;

/**
 * The own-heads floor: the raw Netty server and backend pool of {@link NettyFloor} with no HTTP codec on either
 * side. {@link OwnRelay} reads each request and response head in place from the socket's buffers (offsets, no
 * object per header line) and writes it on with the header edits into one pooled buffer; bodies pass as the
 * backend's own buffers. It measures how few bytes per request a JVM proxy on Netty can allocate when it does
 * not use Netty's {@code HttpObjectDecoder}. Bodiless requests only: one with a body is answered 501.
 */
final class OwnFloor {
    private OwnFloor() {
    }

    static Floor.Running start(Floor.Settings settings, AccessLog log) {
        return NettyFloor.<ByteBuf>serve(settings, BackendPool.NO_CODEC, pool -> new ChannelHandler[] {new OwnRelay(pool, log)});
    }
}
