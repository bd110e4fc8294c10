package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One response head from a backend (RFC 9112 §4, §5), read by the lean client ({@link ResponseReader})
 * once all its bytes are in: the status line, the field lines as offsets, and what frames the body.
 * One per connection, reused from head to head.
 *
 * <h2>What it accepts</h2>
 * <ul>
 *   <li>{@code HTTP/1.1} or {@code HTTP/1.0} (the name in capitals, RFC 9112 §2.3), a space, a status
 *       of three digits from 100 to 599, then a space and a reason of visible bytes, spaces and tabs;
 *       the space and reason may be missing. Empty lines before the status line are skipped.</li>
 *   <li>Every line ends in CRLF: a bare LF or CR, or any other control byte in a line, fails the head.</li>
 *   <li>A field line is {@code token [SP/HTAB] ":" OWS value OWS}: whitespace before the colon is removed,
 *       as a proxy must (§5.1); a line that starts with whitespace (obs-fold) continues the value before it,
 *       joined with one space (§5.2), except on Content-Length and Transfer-Encoding, where it fails the head.</li>
 *   <li>Content-Length: one line of digits (a second line or a list fails, equal or not). Transfer-Encoding:
 *       exactly {@code chunked} (any case), on an HTTP/1.1 head; any other coding fails, since the coding would
 *       be lost as the header is hop-by-hop. Both together: the body is chunked, Content-Length is left out
 *       (§6.3) and the connection is not kept, as such a response may be an attempt at response splitting.</li>
 *   <li>At most {@code maxStatusLine} bytes of status line and {@code maxFields} of field lines.</li>
 * </ul>
 *
 * <p>Why a copy: the head's bytes are copied once into an array of this object, so the checks are plain array
 * reads and the names and values are made from it; the array grows to the largest head seen. The names and
 * the values of up to {@link #MAX_CACHED_VALUE} bytes are kept per line position and handed out again while a
 * later head has the same bytes there, so a backend that answers with the same header names (and most of the
 * same values) costs no new name or value per response: only the map's entries.
 */
final class BackendHead {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** Values longer than this (cookies, tokens) are seldom repeated: not worth keeping. */
    static final int MAX_CACHED_VALUE = 256;
    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
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

    // Per field line, STRIDE ints in `at`: where its name starts and ends, where its value (trimmed) starts and ends
    // (indexes into `bytes`), and its kind. A continuation (obs-fold) line has the kind FOLD and no name.
    private static final int NAME = 0;
    private static final int NAME_END = 1;
    private static final int VALUE = 2;
    private static final int VALUE_END = 3;
    private static final int KIND = 4;
    private static final int STRIDE = 5;
    private static final int OTHER = 0;
    private static final int KIND_CONNECTION = 1;
    private static final int KIND_CONTENT_LENGTH = 2;
    private static final int KIND_TRANSFER_ENCODING = 3;
    private static final int FOLD = 4;

    private final int maxStatusLine;
    private final int maxFields;
    private byte[] bytes = new byte[512];
    private int[] at = new int[STRIDE * 16];
    private int lines;
    /** The index in the buffer just after the head's empty line. */
    private int end;
    private int status;
    private boolean http11;
    private int reasonStart;
    private int reasonEnd;
    private long contentLength;
    private boolean chunked;
    private boolean keepAlive;
    private int connectionLines;
    private AsciiString[] names = new AsciiString[16];
    private AsciiString[] values = new AsciiString[16];
    private String reason = "";

    BackendHead(int maxStatusLine, int maxFields) {
        this.maxStatusLine = maxStatusLine;
        this.maxFields = maxFields;
    }

    /**
     * Reads the head that starts at {@code buf}'s reader index, without moving it: true when it is whole
     * (then {@link #end} is where it ends), false when more bytes are needed.
     *
     * @throws MalformedResponseException when it breaks the grammar above or a limit
     */
    boolean read(ByteBuf buf) throws MalformedResponseException {
        int from = buf.readerIndex();
        int to = buf.writerIndex();
        int start = from;
        while (to - start >= 2 && buf.getByte(start) == CR && buf.getByte(start + 1) == LF) {
            start += 2; // empty lines before the status line
            if (start - from > maxStatusLine) throw new MalformedResponseException("more than " + maxStatusLine + " bytes of empty lines before the status line");
        }
        int lineLimit = start + maxStatusLine + 2;
        int lf = buf.indexOf(start, Math.min(to, lineLimit), LF);
        if (lf < 0) {
            if (to >= lineLimit) throw new MalformedResponseException("status line longer than " + maxStatusLine + " bytes");
            return false;
        }
        int statusLength = lf + 1 - start;
        copy(buf, start, 0, statusLength);
        readStatusLine(statusLength - 1);
        int fieldsLimit = lf + 1 + maxFields + 2;
        int line = lf + 1;
        while (true) {
            lf = buf.indexOf(line, Math.min(to, fieldsLimit), LF);
            if (lf < 0) {
                if (to >= fieldsLimit) throw new MalformedResponseException("response head larger than " + maxFields + " bytes");
                return false;
            }
            if (lf == line || buf.getByte(lf - 1) != CR) throw new MalformedResponseException("field line not ended by CRLF");
            if (lf == line + 1) break;
            line = lf + 1;
        }
        end = lf + 1;
        int fieldsLength = end - (start + statusLength);
        copy(buf, start + statusLength, statusLength, fieldsLength);
        readFields(statusLength, statusLength + fieldsLength - 2);
        return true;
    }

    private void copy(ByteBuf buf, int from, int at, int length) {
        if (bytes.length < at + length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + length));
        buf.getBytes(from, bytes, at, length);
    }

    /** The status line, {@code bytes[0, lf]}. */
    private void readStatusLine(int lf) throws MalformedResponseException {
        byte[] b = bytes;
        if (lf == 0 || b[lf - 1] != CR) throw new MalformedResponseException("status line not ended by CRLF");
        int cr = lf - 1;
        if (cr < 12 || !Arrays.equals(b, 0, HTTP_1.length, HTTP_1, 0, HTTP_1.length) || (b[7] != '1' && b[7] != '0') || b[8] != ' ')
            throw new MalformedResponseException("not an HTTP/1.1 or HTTP/1.0 status line");
        http11 = b[7] == '1';
        int code = 0;
        for (int i = 9; i < 12; i++) {
            if (b[i] < '0' || b[i] > '9') throw new MalformedResponseException("status code is not three digits");
            code = code * 10 + (b[i] - '0');
        }
        if (code < 100 || code > 599) throw new MalformedResponseException("status code " + code + " (expected: 100 to 599)");
        status = code;
        if (cr == 12) {
            reasonStart = reasonEnd = 12;
            return;
        }
        if (b[12] != ' ') throw new MalformedResponseException("no space after the status code");
        for (int i = 13; i < cr; i++) {
            if (!isFieldByte(b[i])) throw new MalformedResponseException("control byte in the reason phrase");
        }
        reasonStart = 13;
        reasonEnd = cr;
    }

    /** The field lines, {@code bytes[from, to)} (to: just after the last line's LF). */
    private void readFields(int from, int to) throws MalformedResponseException {
        lines = 0;
        contentLength = -1;
        chunked = false;
        connectionLines = 0;
        boolean close = false;
        boolean keepAliveOption = false;
        int transferCodings = 0;
        int line = from;
        while (line < to) {
            int lf = line;
            while (bytes[lf] != LF) lf++;
            if (lf == line || bytes[lf - 1] != CR) throw new MalformedResponseException("field line not ended by CRLF");
            int kind = readField(line, lf - 1);
            int slot = (lines - 1) * STRIDE;
            if (kind == KIND_CONNECTION || kind == FOLD && connectionFold()) {
                if (kind == KIND_CONNECTION) connectionLines++;
                int options = readList(at[slot + VALUE], at[slot + VALUE_END]);
                close |= (options & LISTS_CLOSE) != 0;
                keepAliveOption |= (options & LISTS_KEEP_ALIVE) != 0;
            } else if (kind == KIND_CONTENT_LENGTH) {
                if (contentLength >= 0) throw new MalformedResponseException("several Content-Length lines");
                contentLength = digits(at[slot + VALUE], at[slot + VALUE_END]);
            } else if (kind == KIND_TRANSFER_ENCODING) {
                int codings = readList(at[slot + VALUE], at[slot + VALUE_END]);
                if (codings >>> COUNT_SHIFT == 0) throw new MalformedResponseException("a Transfer-Encoding line without a coding");
                transferCodings += codings >>> COUNT_SHIFT;
                chunked |= (codings & LISTS_CHUNKED) != 0;
            }
            line = lf + 1;
        }
        if (transferCodings > 0) {
            if (transferCodings > 1 || !chunked) throw new MalformedResponseException("a transfer coding other than chunked alone");
            if (!http11) throw new MalformedResponseException("Transfer-Encoding on an HTTP/1.0 response");
        }
        keepAlive = http11 ? !close : keepAliveOption;
        if (chunked && contentLength >= 0) keepAlive = false;
    }

    /** Reads the line {@code bytes[start, cr)} into the next slot and returns its kind. */
    private int readField(int start, int cr) throws MalformedResponseException {
        byte[] b = bytes;
        if (lines * STRIDE + STRIDE > at.length) at = Arrays.copyOf(at, at.length * 2);
        int slot = lines * STRIDE;
        int kind;
        int valueFrom;
        if (isWhitespace(b[start])) {
            if (lines == 0) throw new MalformedResponseException("whitespace before the first field line");
            int folded = lastNamedLine();
            int foldedKind = at[folded * STRIDE + KIND];
            if (foldedKind == KIND_CONTENT_LENGTH || foldedKind == KIND_TRANSFER_ENCODING)
                throw new MalformedResponseException("a folded framing field");
            kind = FOLD;
            valueFrom = start;
        } else {
            int nameEnd = start;
            while (nameEnd < cr && b[nameEnd] >= 0 && TCHAR[b[nameEnd]]) nameEnd++;
            if (nameEnd == start) throw new MalformedResponseException("a field line without a name");
            int colon = nameEnd;
            while (colon < cr && isWhitespace(b[colon])) colon++; // whitespace before the colon: removed (RFC 9112 §5.1)
            if (colon == cr || b[colon] != ':') throw new MalformedResponseException("a field name with a byte no name may have");
            at[slot + NAME] = start;
            at[slot + NAME_END] = nameEnd;
            kind = kindOf(start, nameEnd);
            valueFrom = colon + 1;
        }
        while (valueFrom < cr && isWhitespace(b[valueFrom])) valueFrom++;
        int valueEnd = cr;
        while (valueEnd > valueFrom && isWhitespace(b[valueEnd - 1])) valueEnd--;
        for (int i = valueFrom; i < valueEnd; i++) {
            if (!isFieldByte(b[i])) throw new MalformedResponseException("a control byte in a field value");
        }
        at[slot + VALUE] = valueFrom;
        at[slot + VALUE_END] = valueEnd;
        at[slot + KIND] = kind;
        lines++;
        return kind;
    }

    private int lastNamedLine() {
        int i = lines - 1;
        while (at[i * STRIDE + KIND] == FOLD) i--;
        return i;
    }

    private boolean connectionFold() {
        return at[lastNamedLine() * STRIDE + KIND] == KIND_CONNECTION;
    }

    private int kindOf(int from, int to) {
        if (equalsIgnoreCase(from, to, CONNECTION)) return KIND_CONNECTION;
        if (equalsIgnoreCase(from, to, CONTENT_LENGTH)) return KIND_CONTENT_LENGTH;
        if (equalsIgnoreCase(from, to, TRANSFER_ENCODING)) return KIND_TRANSFER_ENCODING;
        return OTHER;
    }

    private static final int LISTS_CLOSE = 1;
    private static final int LISTS_KEEP_ALIVE = 2;
    private static final int LISTS_CHUNKED = 4;
    /** The count of a list's elements is kept above these bits. */
    private static final int COUNT_SHIFT = 8;

    /**
     * Reads the comma-separated list {@code bytes[from, to)} (RFC 9110 §5.6.1: empty elements and the whitespace
     * around each are ignored): the {@code LISTS_} bits of the elements it has (any case), and above
     * {@link #COUNT_SHIFT} how many elements it has.
     */
    private int readList(int from, int to) {
        int found = 0;
        for (int element = from; element < to; ) {
            int comma = element;
            while (comma < to && bytes[comma] != ',') comma++;
            int s = element;
            int e = comma;
            while (s < e && isWhitespace(bytes[s])) s++;
            while (e > s && isWhitespace(bytes[e - 1])) e--;
            if (e > s) {
                found += 1 << COUNT_SHIFT;
                if (equalsIgnoreCase(s, e, CLOSE)) found |= LISTS_CLOSE;
                else if (equalsIgnoreCase(s, e, KEEP_ALIVE)) found |= LISTS_KEEP_ALIVE;
                else if (equalsIgnoreCase(s, e, CHUNKED)) found |= LISTS_CHUNKED;
            }
            element = comma + 1;
        }
        return found;
    }

    private long digits(int from, int to) throws MalformedResponseException {
        if (from == to || to - from > 18) throw new MalformedResponseException("Content-Length is not a number of at most 18 digits");
        long n = 0;
        for (int i = from; i < to; i++) {
            byte c = bytes[i];
            if (c < '0' || c > '9') throw new MalformedResponseException("Content-Length is not a number of at most 18 digits");
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * Checks one trailer field line, {@code buf[from, cr)}: the grammar of a head's field line (a trailer
     * section is read and dropped, as Netty's decoder did; the client's response has none).
     */
    void checkTrailerLine(ByteBuf buf, int from, int cr) throws MalformedResponseException {
        copy(buf, from, 0, cr - from);
        if (isWhitespace(bytes[0])) {
            for (int i = 0; i < cr - from; i++) if (!isFieldByte(bytes[i])) throw new MalformedResponseException("a control byte in a trailer");
            return;
        }
        int nameEnd = 0;
        while (nameEnd < cr - from && bytes[nameEnd] >= 0 && TCHAR[bytes[nameEnd]]) nameEnd++;
        if (nameEnd == 0 || nameEnd == cr - from || bytes[nameEnd] != ':') throw new MalformedResponseException("a trailer line that is no field");
        for (int i = nameEnd + 1; i < cr - from; i++) if (!isFieldByte(bytes[i])) throw new MalformedResponseException("a control byte in a trailer");
    }

    /** The index in the buffer just after the head's empty line. */
    int end() {
        return end;
    }

    int status() {
        return status;
    }

    /** The reason phrase: the standard one's own {@code String} when it is that, so no string is made for it. */
    String reason() {
        int length = reasonEnd - reasonStart;
        String standard = HttpResponseStatus.valueOf(status).reasonPhrase();
        if (sameBytes(standard, reasonStart, length)) return standard;
        if (!sameBytes(reason, reasonStart, length)) reason = new String(bytes, reasonStart, length, StandardCharsets.ISO_8859_1);
        return reason;
    }

    /** The body's length from Content-Length; -1 when there is none, or when the body is {@link #isChunked chunked}. */
    long contentLength() {
        return chunked ? -1 : contentLength;
    }

    boolean isChunked() {
        return chunked;
    }

    /** Whether the backend keeps the connection open after this response (HTTP/1.1 unless {@code close}; HTTP/1.0 with {@code keep-alive}). */
    boolean keepsAlive() {
        return keepAlive;
    }

    /** How many {@code Connection} lines the head has. */
    int connectionLines() {
        return connectionLines;
    }

    /**
     * Adds the head's fields to {@code headers}, in order, names in their case; Content-Length is left out
     * when the body is chunked.
     */
    HttpHeaders addFieldsTo(HttpHeaders headers) {
        eachField(headers::add);
        return headers;
    }

    /**
     * The fields {@link #addFieldsTo} adds, as strings of their own: what a shadow route keeps of an answer
     * to compare, after this head has made way for the next.
     */
    HeaderFields fields() {
        HeaderFields.Builder fields = HeaderFields.builder();
        eachField((name, value) -> fields.add(name.toString(), value.toString()));
        return fields.build();
    }

    /** Where {@link #eachField} hands the fields. */
    private interface FieldSink {
        void add(AsciiString name, CharSequence value);
    }

    private void eachField(FieldSink sink) {
        int named = 0;
        for (int i = 0; i < lines; i++) {
            int slot = i * STRIDE;
            int kind = at[slot + KIND];
            if (kind == FOLD) continue;
            AsciiString name = name(named, at[slot + NAME], at[slot + NAME_END]);
            CharSequence value = i + 1 < lines && at[slot + STRIDE + KIND] == FOLD ? folded(i) : value(named, at[slot + VALUE], at[slot + VALUE_END]);
            named++;
            if (kind == KIND_CONTENT_LENGTH && chunked) continue;
            sink.add(name, value);
        }
    }

    /** The value of line {@code i} with its continuation lines, each joined with one space. */
    private String folded(int i) {
        StringBuilder value = new StringBuilder();
        value.append(new String(bytes, at[i * STRIDE + VALUE], at[i * STRIDE + VALUE_END] - at[i * STRIDE + VALUE], StandardCharsets.ISO_8859_1));
        for (int j = i + 1; j < lines && at[j * STRIDE + KIND] == FOLD; j++) {
            int from = at[j * STRIDE + VALUE];
            int to = at[j * STRIDE + VALUE_END];
            if (to > from) value.append(' ').append(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
        }
        return value.toString();
    }

    private AsciiString name(int position, int from, int to) {
        if (position >= names.length) {
            names = Arrays.copyOf(names, position * 2);
            values = Arrays.copyOf(values, position * 2);
        }
        AsciiString kept = names[position];
        return holds(kept, from, to) ? kept : (names[position] = new AsciiString(bytes, from, to - from, true));
    }

    /**
     * Line {@code position}'s value: kept as bytes ({@link AsciiString}), so a later head with the same bytes
     * is found by one array comparison and the own server writes it on as one copy, not a char at a time
     * (issue 14's eleventh round); its string is made once, when something reads it. A long value, seldom
     * repeated, is a plain string.
     */
    private CharSequence value(int position, int from, int to) {
        if (to - from > MAX_CACHED_VALUE) return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        AsciiString kept = values[position];
        return holds(kept, from, to) ? kept : (values[position] = new AsciiString(bytes, from, to - from, true));
    }

    /** Whether {@code kept} holds exactly the head's bytes {@code [from, to)}. */
    private boolean holds(AsciiString kept, int from, int to) {
        return kept != null && kept.length() == to - from
                && Arrays.equals(kept.array(), kept.arrayOffset(), kept.arrayOffset() + kept.length(), bytes, from, to);
    }

    private boolean sameBytes(String s, int from, int length) {
        if (s == null || s.length() != length) return false;
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != (bytes[from + i] & 0xff)) return false;
        }
        return true;
    }

    private boolean equalsIgnoreCase(int from, int to, byte[] lower) {
        if (to - from != lower.length) return false;
        for (int i = 0; i < lower.length; i++) {
            byte c = bytes[from + i];
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (c != lower[i]) return false;
        }
        return true;
    }

    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** A byte a field value or reason may hold: visible, obs-text (negative here), space or tab; no other control. */
    static boolean isFieldByte(byte b) {
        return b < 0 || (b >= 0x20 && b != 0x7f) || b == '\t';
    }
}
