package dev.strangler.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that is not an HTTP library: a plain {@link ServerSocket} that records the exact bytes
 * each connection received and answers every request head it sees with one fixed response. It
 * cannot be fooled by the framing it is meant to observe, so a test can assert what really crossed
 * the wire (byte for byte, including what a smuggled second request would look like).
 *
 * <p>It answers each request once its body (Content-Length or chunked, read loosely) is in; the
 * answer says {@code Content-Length: 2} and keeps the connection open, as a pooled backend would.
 * Bytes are recorded as they are read, so a test sees what arrived even if the request never completes.
 */
final class ByteLoggingBackend implements AutoCloseable {
    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Served-By: bytes\r\n\r\nok")
            .getBytes(StandardCharsets.US_ASCII);

    /** What one accepted connection received, in order. */
    static final class Connection {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteArrayOutputStream all;
        private volatile boolean ended;

        private Connection(ByteArrayOutputStream all) {
            this.all = all;
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        /** Whether the gateway's side of the connection ended (closed or reset) and all it sent was read. */
        boolean isEnded() {
            return ended;
        }

        /** The received bytes read as ISO-8859-1, so every byte is one char and nothing is re-encoded. */
        String text() {
            return new String(bytes(), StandardCharsets.ISO_8859_1);
        }

        private synchronized void append(byte[] b, int n) {
            bytes.write(b, 0, n);
            synchronized (all) {
                all.write(b, 0, n);
            }
        }
    }

    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    /** Every byte read, from any connection, in arrival order. */
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final Thread acceptor;

    private ByteLoggingBackend(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("byte-logging-backend").start(this::acceptLoop);
    }

    static ByteLoggingBackend start() throws IOException {
        return new ByteLoggingBackend(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Every connection accepted so far. */
    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** All bytes received on all connections, in the order they were read (ISO-8859-1); only grows. */
    String allReceived() {
        synchronized (all) {
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** How much each connection accepted so far has received: a mark for {@link #receivedSince}. */
    Map<Connection, Integer> mark() {
        Map<Connection, Integer> mark = new IdentityHashMap<>();
        for (Connection c : connections) mark.put(c, c.bytes().length);
        return mark;
    }

    /**
     * What arrived since {@code mark}, connection after connection, each connection's bytes whole and
     * in order. Unlike a slice of {@link #allReceived()}, two requests sent at once on two connections
     * cannot interleave here (ISO-8859-1).
     */
    String receivedSince(Map<Connection, Integer> mark) {
        StringBuilder out = new StringBuilder();
        for (Connection c : connections) out.append(c.text().substring(mark.getOrDefault(c, 0)));
        return out.toString();
    }

    /** How many request heads were answered. */
    int answered() {
        return answered.get();
    }

    /** Waits until {@code n} request heads were answered; fails after {@code timeout}. */
    void awaitAnswered(int n, Duration timeout) throws Exception {
        Eventually.eventually(timeout, () -> {
            if (answered.get() < n) throw new AssertionError("backend answered " + answered.get() + " requests, expected " + n);
        });
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Connection c = new Connection(all);
                connections.add(c);
                Thread.ofVirtual().name("byte-logging-connection").start(() -> serve(s, c));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, Connection connection) {
        try (socket; InputStream raw = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            InputStream in = new RecordingInput(raw, connection);
            while (true) {
                String head = readHead(in);
                if (head == null) return;
                skipBody(in, head);
                out.write(ANSWER);
                out.flush();
                answered.incrementAndGet();
            }
        } catch (SocketException | java.io.EOFException e) {
            // the gateway closed or reset the connection: what was read is recorded
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            connection.ended = true;
        }
    }

    /** The head up to and including its blank line, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) return b.toString();
        }
        return null;
    }

    /** Reads past the body the head announces (Content-Length or chunked), so the next request starts where it should. */
    private static void skipBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding:")) {
            while (true) {
                String sizeLine = readLine(in);
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) { } // trailers
                    return;
                }
                in.readNBytes((int) size);
                readLine(in);
            }
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int end = lower.indexOf("\r\n", at + 2);
            in.readNBytes(Integer.parseInt(lower.substring(at + "\r\ncontent-length:".length(), end).trim()));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && b.length() > 0 && b.charAt(b.length() - 1) == '\r') return b.substring(0, b.length() - 1);
            b.append((char) c);
        }
        throw new java.io.EOFException();
    }

    /** Records every byte read from the socket, in order. */
    private static final class RecordingInput extends java.io.FilterInputStream {
        private final Connection connection;

        RecordingInput(InputStream in, Connection connection) {
            super(new java.io.BufferedInputStream(in));
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) connection.append(new byte[] {(byte) c}, 1);
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) connection.append(java.util.Arrays.copyOfRange(b, off, off + n), n);
            return n;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : new ArrayList<>(sockets)) s.close();
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
