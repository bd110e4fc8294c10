package dev.strangler.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 response read off a raw socket as a client must frame it (RFC 9112 §6.3): interim
 * {@code 1xx} heads first, then the final head and its body — none for HEAD, 204 and 304, else
 * its {@code Content-Length}, or chunked through the last chunk. Reading stops at the message's
 * end, so the next response on a kept-alive connection can be read after it.
 */
record RawResponse(List<String> interimHeads, String head, int status, byte[] body) {

    /** Reads a response from a connection opened with {@link #reader}. */
    static RawResponse read(InputStream in, boolean toHead) throws IOException {
        List<String> interim = new ArrayList<>();
        while (true) {
            String head = readHead(in);
            int status = Integer.parseInt(head.substring(9, 12));
            if (status >= 100 && status < 200 && status != 101) {
                interim.add(head);
                continue;
            }
            byte[] body = toHead || status == 204 || status == 304 || status == 101 ? new byte[0] : readBody(in, head);
            return new RawResponse(List.copyOf(interim), head, status, body);
        }
    }

    /** A buffered stream over the socket: keep one per connection, it may hold the next response's first bytes. */
    static InputStream reader(Socket s) throws IOException {
        return new BufferedInputStream(s.getInputStream());
    }

    /** The value of the final head's header {@code name}, any case. */
    Optional<String> header(String name) {
        String prefix = "\r\n" + name.toLowerCase(Locale.ROOT) + ":";
        String lower = head.toLowerCase(Locale.ROOT);
        int at = lower.indexOf(prefix);
        if (at < 0) return Optional.empty();
        int end = head.indexOf("\r\n", at + prefix.length());
        return Optional.of(head.substring(at + prefix.length(), end).trim());
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) return readChunked(in);
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) return in.readAllBytes(); // delimited by the close
        int end = lower.indexOf("\r\n", at + 2);
        int length = Integer.parseInt(lower.substring(at + "\r\ncontent-length:".length(), end).trim());
        byte[] body = in.readNBytes(length);
        if (body.length < length) throw new IOException("closed after " + body.length + " of " + length + " bytes");
        return body;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) { } // trailers
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) throw new IOException("closed inside a chunk after " + body.size() + " bytes");
            body.write(chunk);
            if (!readLine(in).isEmpty()) throw new IOException("chunk data not followed by CRLF");
        }
    }

    /** Reads one head through its blank line, interim or final. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (true) {
            String line = readLine(in);
            head.append(line).append("\r\n");
            if (line.isEmpty()) return head.toString();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("closed after " + line.toString(StandardCharsets.ISO_8859_1));
            if (c == '\n') {
                byte[] b = line.toByteArray();
                return new String(b, 0, b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
    }
}
