package dev.strangler.bench.floor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reading HTTP/1.1 heads and bodies byte by byte, for tests that must see the wire as it is. */
final class RawHttp {
    private RawHttp() {
    }

    /** The next head up to and including the empty line, or null when the stream ended before one began. */
    static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) return head.toString(StandardCharsets.ISO_8859_1);
        }
        if (head.size() == 0) return null;
        throw new IOException("stream ended inside a head: " + head.toString(StandardCharsets.ISO_8859_1));
    }

    /** The value of the first header called {@code name} (any case) in {@code head}. */
    static Optional<String> header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) return Optional.of(line.substring(colon + 1).strip());
        }
        return Optional.empty();
    }

    static String readBody(InputStream in, int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A chunked body's data, read to the end of its trailer section (which is checked for CRLFs and dropped). */
    static String readChunked(InputStream in) throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) break;
            body.write(in.readNBytes(size));
            if (!readLine(in).isEmpty()) throw new IOException("no CRLF after a chunk's data");
        }
        while (!readLine(in).isEmpty()) {
            // a trailer line
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** The next line without its CRLF; fails on a bare LF or the stream's end. */
    static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') throw new IOException("a line ended in a bare LF");
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new IOException("stream ended inside a line: " + line.toString(StandardCharsets.ISO_8859_1));
    }
}
