package dev.strangler.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** A write stream that passes everything to {@code target}; subclasses watch or copy what goes through. */
abstract class ForwardingWriteStream implements WriteStream<Buffer> {
    protected final WriteStream<Buffer> target;

    ForwardingWriteStream(WriteStream<Buffer> target) {
        this.target = target;
    }

    @Override
    public Future<Void> write(Buffer data) {
        return target.write(data);
    }

    @Override
    public Future<Void> end() {
        return target.end();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        target.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        target.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return target.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        target.drainHandler(handler);
        return this;
    }
}
