package dev.strangler.core.catalog;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * A mergeable latency distribution: HdrHistogram in microseconds, two significant digits (every
 * quantile within 1 %), from 1 µs to one hour. Packed, so an endpoint with a narrow spread of
 * latencies costs a few hundred bytes rather than tens of kilobytes. Sketches from several
 * gateways, or several flushes, add up exactly.
 *
 * <p>Instances handed out are immutable; {@link Recorder} is the mutable, single-threaded side.
 */
public final class LatencySketch {
    /** Longest latency kept apart; anything slower counts as this. */
    static final long MAX_MICROS = 3_600_000_000L;
    private static final int DIGITS = 2;
    private static final LatencySketch EMPTY = new LatencySketch(newHistogram());

    private final Histogram histogram;

    private LatencySketch(Histogram histogram) {
        this.histogram = histogram;
    }

    public static LatencySketch empty() {
        return EMPTY;
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The latency below which {@code q} of the requests finished, in milliseconds; NaN when empty. */
    public double quantileMillis(double q) {
        if (count() == 0) return Double.NaN;
        return histogram.getValueAtPercentile(100 * q) / 1000.0;
    }

    public LatencySketch plus(LatencySketch other) {
        if (other.count() == 0) return this;
        if (count() == 0) return other;
        Histogram sum = histogram.copy();
        sum.add(other.histogram);
        return new LatencySketch(sum);
    }

    /** A compact binary form (HdrHistogram's compressed encoding) for the store. */
    public byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] out = new byte[length];
        buffer.flip();
        buffer.get(out);
        return out;
    }

    /** @throws IllegalArgumentException when the bytes are not an encoded sketch */
    public static LatencySketch decode(byte[] bytes) {
        if (bytes.length == 0) return EMPTY;
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 1);
            PackedHistogram packed = newHistogram();
            packed.add(h);
            return new LatencySketch(packed);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded latency sketch: " + e.getMessage(), e);
        }
    }

    private static PackedHistogram newHistogram() {
        PackedHistogram h = new PackedHistogram(1, MAX_MICROS, DIGITS);
        return h;
    }

    @Override
    public String toString() {
        return count() == 0 ? "LatencySketch[empty]" : String.format(java.util.Locale.ROOT,
                "LatencySketch[n=%d, p50=%.2fms, p99=%.2fms]", count(), quantileMillis(0.5), quantileMillis(0.99));
    }

    /** Records latencies; not thread-safe (one thread owns it: its catalog's). */
    public static final class Recorder {
        private final PackedHistogram histogram = newHistogram();

        public void recordNanos(long nanos) {
            long micros = Math.max(1, Math.min(MAX_MICROS, nanos / 1000));
            histogram.recordValue(micros);
        }

        public void add(LatencySketch sketch) {
            if (sketch.count() > 0) histogram.add(sketch.histogram);
        }

        public long count() {
            return histogram.getTotalCount();
        }

        /** An immutable copy of what was recorded so far. */
        public LatencySketch snapshot() {
            return count() == 0 ? EMPTY : new LatencySketch(histogram.copy());
        }
    }
}
