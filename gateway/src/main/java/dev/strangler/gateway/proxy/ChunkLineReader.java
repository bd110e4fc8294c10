package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.SyntaxViolation;
import io.netty.buffer.ByteBuf;

/**
 * Reads the lines of a chunked body for {@link FramingGuard} (chunk sizes, the CRLF after chunk
 * data, trailer lines), possibly over several reads: only CRLF ends a line, a bare CR or LF is
 * refused. One reader per connection; its line buffer is reused for every line.
 */
final class ChunkLineReader {
    /** The current line without its CRLF, one char per byte. */
    private final StringBuilder line = new StringBuilder(128);
    private boolean sawCr;

    /**
     * Reads on in {@code in} until a line ends.
     *
     * @return the line without its CRLF, or null when {@code in} ran out before its end
     */
    String read(ByteBuf in, int max) throws SyntaxViolation {
        while (in.isReadable()) {
            byte b = in.readByte();
            if (endsLine(b)) {
                String l = line.toString();
                line.setLength(0);
                return l;
            }
            if (sawCr) continue;
            if (line.length() >= max) throw SyntaxViolation.of(Rejection.Code.BAD_CHUNK, "a chunk line is too long");
            line.append((char) (b & 0xff));
        }
        return null;
    }

    /**
     * Reads one byte of a line: true when it ends the line with CRLF; a bare CR or LF is refused. A
     * CR waiting for its LF leaves {@link #sawCr} set; any other byte is the line's own.
     */
    private boolean endsLine(byte b) throws SyntaxViolation {
        if (sawCr) {
            sawCr = false;
            if (b == '\n') return true;
            throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a CR not followed by LF");
        }
        if (b == '\n') throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a line ends with a bare LF; lines end with CRLF");
        sawCr = b == '\r';
        return false;
    }
}
