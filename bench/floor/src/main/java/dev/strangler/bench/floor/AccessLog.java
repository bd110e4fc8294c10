package dev.strangler.bench.floor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One line per request, written to a file by a writer thread in batches, never by the event loop.
 *
 * <p>The event loop appends a line to {@code pending} under a lock held for the append only; every
 * {@link #FLUSH_INTERVAL_NANOS} the writer swaps {@code pending} with its emptied batch and writes the batch
 * with one {@code write}. The event loop never waits for the disk, and pays one uncontended lock and a few
 * appends per request (the same shape as Strangler's access log, cheaper than NGINX's write per line).
 */
final class AccessLog implements AutoCloseable {
    static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int INITIAL_BATCH_CHARS = 64 * 1024;

    private final Object lock = new Object();
    private final FileChannel file;
    private final Thread writer;
    private StringBuilder pending = new StringBuilder(INITIAL_BATCH_CHARS);
    private StringBuilder spare = new StringBuilder(INITIAL_BATCH_CHARS); // the writer's only
    private ByteBuffer bytes = ByteBuffer.allocate(INITIAL_BATCH_CHARS); // the writer's only
    private volatile boolean closed;

    private AccessLog(FileChannel file) {
        this.file = file;
        this.writer = Thread.ofPlatform().name("floor-access-log").daemon().unstarted(this::writeUntilClosed);
    }

    static AccessLog open(Path path) throws IOException {
        var log = new AccessLog(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        log.writer.start();
        return log;
    }

    /** Appends a line: time, client, request, status, body bytes sent, duration and request id. */
    void record(CharSequence client, CharSequence method, CharSequence uri, int status, long bytesSent, long startNanos,
            CharSequence requestId) {
        long micros = (System.nanoTime() - startNanos) / 1000;
        long now = System.currentTimeMillis();
        synchronized (lock) {
            pending.append(now).append(' ').append(client).append(" \"").append(method).append(' ').append(uri)
                    .append("\" ").append(status).append(' ').append(bytesSent).append(' ').append(micros).append("us ")
                    .append(requestId).append('\n');
        }
    }

    private void writeUntilClosed() {
        while (!closed) {
            LockSupport.parkNanos(FLUSH_INTERVAL_NANOS);
            writeBatch();
        }
        writeBatch();
    }

    private void writeBatch() {
        StringBuilder batch;
        synchronized (lock) {
            if (pending.isEmpty()) return;
            batch = pending;
            pending = spare;
        }
        int n = batch.length();
        if (bytes.capacity() < n) bytes = ByteBuffer.allocate(Math.max(n, bytes.capacity() * 2));
        bytes.clear();
        for (int i = 0; i < n; i++) bytes.put((byte) batch.charAt(i)); // request lines are ASCII on the wire
        bytes.flip();
        try {
            while (bytes.hasRemaining()) file.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("access log: write failed", e);
        }
        batch.setLength(0);
        spare = batch;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
            file.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException("access log: close failed", e);
        }
    }
}
