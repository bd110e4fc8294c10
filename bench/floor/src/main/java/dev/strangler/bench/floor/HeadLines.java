package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of one HTTP/1.1 head (RFC 9112 sections 2 and 5), read in place from the buffer that holds it:
 * where the start line ends and, per header line, its offsets and what the floor knows of its name, in one
 * {@code int} array reused from head to head. No {@code String}, {@code AsciiString} or header object is made
 * per line; Netty's {@code HttpObjectDecoder} makes a name, a value and a map entry for each, and the map.
 *
 * <p>After {@link #read} returned {@link Reading#WHOLE}: every header line is {@code name ":" OWS value OWS CRLF}
 * with a token for a name and a value of visible bytes (obs-text too), spaces and tabs; lines end in CRLF and
 * none is folded. The offsets index the buffer given to {@code read} and are valid while its bytes are. A line
 * is hop-by-hop when its name is Connection, Keep-Alive, Proxy-Connection, TE, Trailer or Upgrade (the floors'
 * {@link HopByHop} list) or is named by a Connection line; Content-Length, Transfer-Encoding and Host are never
 * taken as connection options, since they frame or address each hop's own message. All Connection lines are
 * read as one list (RFC 9110 5.3).
 */
final class HeadLines {
    /** The header names the floor acts on; {@link #OTHER} for any other. */
    enum Name {
        OTHER(""),
        CONNECTION("connection"),
        KEEP_ALIVE("keep-alive"),
        PROXY_CONNECTION("proxy-connection"),
        TE("te"),
        TRAILER("trailer"),
        UPGRADE("upgrade"),
        TRANSFER_ENCODING("transfer-encoding"),
        CONTENT_LENGTH("content-length"),
        HOST("host"),
        REQUEST_ID("x-request-id");

        private static final Name[] ALL = values();
        private final byte[] lower;

        Name(String lower) {
            this.lower = lower.getBytes(StandardCharsets.US_ASCII);
        }

        static Name of(ByteBuf buf, int from, int to) {
            for (int i = 1; i < ALL.length; i++) {
                if (equalsIgnoreCase(buf, from, to, ALL[i].lower)) return ALL[i];
            }
            return OTHER;
        }

        boolean isHopByHop() {
            return this == CONNECTION || this == KEEP_ALIVE || this == PROXY_CONNECTION || this == TE || this == TRAILER
                    || this == UPGRADE;
        }

        /** Whether a Connection line may name it: not the lines that frame or address each hop's message. */
        boolean isConnectionOption() {
            return this != CONTENT_LENGTH && this != TRANSFER_ENCODING && this != HOST;
        }
    }

    /** What {@link #read} found. */
    enum Reading {
        /** A whole head, its lines read. */
        WHOLE,
        /** No empty line yet: more bytes are needed. */
        INCOMPLETE,
        /** A line that breaks the grammar above. */
        MALFORMED,
        /** More than the allowed bytes or {@link #MAX_LINES} header lines. */
        TOO_LARGE
    }

    static final int MAX_LINES = 100;
    static final byte CR = '\r';
    static final byte LF = '\n';
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    // Per header line, STRIDE ints: where it starts, its colon, its value (trimmed) and the index after its LF,
    // then its Name's ordinal with DROPPED set when a Connection line names it.
    private static final int START = 0;
    private static final int COLON = 1;
    private static final int VALUE = 2;
    private static final int VALUE_END = 3;
    private static final int END = 4;
    private static final int FLAGS = 5;
    private static final int STRIDE = 6;
    private static final int DROPPED = 1 << 8;

    private int[] at = new int[STRIDE * 32];
    private int count;
    private ByteBuf buf;
    private int from;
    private int startLineEnd;
    private int end;
    private boolean closeOption;
    private boolean keepAliveOption;

    /** Reads the head that starts at {@code from} in {@code buf}, at most {@code maxBytes} long. */
    Reading read(ByteBuf buf, int from, int maxBytes) {
        this.buf = buf;
        this.from = from;
        count = 0;
        closeOption = false;
        keepAliveOption = false;
        int to = Math.min(buf.writerIndex(), from + maxBytes);
        int lf = buf.indexOf(from, to, LF);
        if (lf < 0) return incomplete(to);
        if (lf == from || buf.getByte(lf - 1) != CR) return Reading.MALFORMED;
        startLineEnd = lf - 1;
        int line = lf + 1;
        while (true) {
            lf = buf.indexOf(line, to, LF);
            if (lf < 0) return incomplete(to);
            if (lf == line || buf.getByte(lf - 1) != CR) return Reading.MALFORMED;
            if (lf - 1 == line) {
                end = lf + 1;
                readConnectionOptions();
                return Reading.WHOLE;
            }
            if (count == MAX_LINES) return Reading.TOO_LARGE;
            if (!add(line, lf - 1)) return Reading.MALFORMED;
            line = lf + 1;
        }
    }

    private Reading incomplete(int to) {
        return to < buf.writerIndex() ? Reading.TOO_LARGE : Reading.INCOMPLETE;
    }

    /** Adds the line from {@code start} to its CR at {@code cr}, or says it is malformed. */
    private boolean add(int start, int cr) {
        int colon = start;
        while (colon < cr && isTchar(buf.getByte(colon))) colon++;
        if (colon == start || colon == cr || buf.getByte(colon) != ':') return false; // folded, no name, or space before ':'
        int value = colon + 1;
        while (value < cr && isWhitespace(buf.getByte(value))) value++;
        int valueEnd = cr;
        while (valueEnd > value && isWhitespace(buf.getByte(valueEnd - 1))) valueEnd--;
        for (int i = value; i < valueEnd; i++) {
            byte b = buf.getByte(i);
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) return false; // controls; obs-text (negative) is allowed
        }
        int slot = count * STRIDE;
        if (slot + STRIDE > at.length) at = Arrays.copyOf(at, at.length * 2);
        at[slot + START] = start;
        at[slot + COLON] = colon;
        at[slot + VALUE] = value;
        at[slot + VALUE_END] = valueEnd;
        at[slot + END] = cr + 2;
        at[slot + FLAGS] = Name.of(buf, start, colon).ordinal();
        count++;
        return true;
    }

    private void readConnectionOptions() {
        for (int i = 0; i < count; i++) {
            if (name(i) != Name.CONNECTION) continue;
            int from = valueStart(i);
            int to = valueEnd(i);
            while (from < to) {
                int comma = buf.indexOf(from, to, (byte) ',');
                if (comma < 0) comma = to;
                int tokenEnd = comma;
                while (from < tokenEnd && isWhitespace(buf.getByte(from))) from++;
                while (tokenEnd > from && isWhitespace(buf.getByte(tokenEnd - 1))) tokenEnd--;
                if (tokenEnd > from) readConnectionOption(from, tokenEnd);
                from = comma + 1;
            }
        }
    }

    private void readConnectionOption(int from, int to) {
        if (equalsIgnoreCase(buf, from, to, CLOSE)) {
            closeOption = true;
        } else if (equalsIgnoreCase(buf, from, to, KEEP_ALIVE)) {
            keepAliveOption = true;
        } else {
            for (int i = 0; i < count; i++) {
                if (name(i).isConnectionOption() && nameEquals(i, from, to)) at[i * STRIDE + FLAGS] |= DROPPED;
            }
        }
    }

    private boolean nameEquals(int line, int from, int to) {
        int start = lineStart(line);
        if (at[line * STRIDE + COLON] - start != to - from) return false;
        for (int i = 0; i < to - from; i++) {
            if (lower(buf.getByte(start + i)) != lower(buf.getByte(from + i))) return false;
        }
        return true;
    }

    int count() {
        return count;
    }

    Name name(int line) {
        return Name.ALL[at[line * STRIDE + FLAGS] & 0xff];
    }

    /** Whether the line stays on this hop: a hop-by-hop name, named by a Connection line, or {@link #leaveOut left out}. */
    boolean isHopByHop(int line) {
        return name(line).isHopByHop() || (at[line * STRIDE + FLAGS] & DROPPED) != 0;
    }

    int lineStart(int line) {
        return at[line * STRIDE + START];
    }

    int valueStart(int line) {
        return at[line * STRIDE + VALUE];
    }

    int valueEnd(int line) {
        return at[line * STRIDE + VALUE_END];
    }

    /** Leaves the line out of {@link #copyEndToEnd}, as if it were hop-by-hop. */
    void leaveOut(int line) {
        at[line * STRIDE + FLAGS] |= DROPPED;
    }

    /**
     * Copies every header line that is not hop-by-hop or left out, as it came (CRLF included), in order, after the
     * start line as it came when {@code withStartLine}. Lines next to each other go in one copy.
     */
    void copyEndToEnd(HeadBytes out, boolean withStartLine) {
        int runStart = withStartLine ? from : -1;
        int runEnd = startLineEnd + 2;
        for (int i = 0; i < count; i++) {
            if (isHopByHop(i)) {
                if (runStart >= 0) out.append(buf, runStart, runEnd - runStart);
                runStart = -1;
            } else {
                if (runStart < 0) runStart = lineStart(i);
                runEnd = at[i * STRIDE + END];
            }
        }
        if (runStart >= 0) out.append(buf, runStart, runEnd - runStart);
    }

    /** The index of the CR that ends the start line. */
    int startLineEnd() {
        return startLineEnd;
    }

    /** The index just after the head's empty line. */
    int end() {
        return end;
    }

    boolean hasCloseOption() {
        return closeOption;
    }

    boolean hasKeepAliveOption() {
        return keepAliveOption;
    }

    /** The first line called {@code name}, or -1. */
    int first(Name name) {
        for (int i = 0; i < count; i++) {
            if (name(i) == name) return i;
        }
        return -1;
    }

    /** The last line called {@code name}, or -1. */
    int last(Name name) {
        for (int i = count - 1; i >= 0; i--) {
            if (name(i) == name) return i;
        }
        return -1;
    }

    int countOf(Name name) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (name(i) == name) n++;
        }
        return n;
    }

    /** The line's value as a Content-Length (1 to 18 digits), or -1 when it is not one. */
    long contentLength(int line) {
        int from = valueStart(line);
        int to = valueEnd(line);
        if (from == to || to - from > 18) return -1;
        long n = 0;
        for (int i = from; i < to; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') return -1;
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /** Whether the line's last comma-separated coding is {@code chunked} (a Transfer-Encoding line's final coding). */
    boolean endsWithChunked(int line) {
        int from = valueStart(line);
        int to = valueEnd(line);
        int comma = from - 1;
        for (int i = to - 1; i >= from; i--) {
            if (buf.getByte(i) == ',') {
                comma = i;
                break;
            }
        }
        int start = comma + 1;
        while (start < to && isWhitespace(buf.getByte(start))) start++;
        return equalsIgnoreCase(buf, start, to, CHUNKED);
    }

    /** Whether the bytes from {@code from} to {@code to} are {@code lower} in any case. */
    static boolean equalsIgnoreCase(ByteBuf buf, int from, int to, byte[] lower) {
        if (to - from != lower.length) return false;
        for (int i = 0; i < lower.length; i++) {
            if (lower(buf.getByte(from + i)) != lower[i]) return false;
        }
        return true;
    }

    /** Whether the bytes from {@code from} to {@code to} are {@code exactly}. */
    static boolean equals(ByteBuf buf, int from, int to, byte[] exactly) {
        if (to - from != exactly.length) return false;
        for (int i = 0; i < exactly.length; i++) {
            if (buf.getByte(from + i) != exactly[i]) return false;
        }
        return true;
    }

    static boolean isTchar(byte b) {
        return b >= 0 && TCHAR[b];
    }

    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }
}
