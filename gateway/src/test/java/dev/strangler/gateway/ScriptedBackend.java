package dev.strangler.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend on a plain {@link ServerSocket} (no HTTP library between the test and the wire): it
 * records the exact bytes received on each connection, to the connection's end, and plays a
 * scripted answer — partial bodies, interim {@code 1xx} responses, early closes, whatever bytes a
 * test writes. Each connection runs the script on its own thread; a second thread keeps reading
 * so the record is complete even after the script has finished.
 */
final class ScriptedBackend implements AutoCloseable {
    /** What the backend does on one connection. */
    @FunctionalInterface
    interface Script {
        void play(Conversation c) throws Exception;
    }

    /** One accepted connection: what arrived so far, and the means to answer. */
    static final class Conversation {
        private final Socket socket;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int consumed;
        private volatile boolean peerClosed;

        private Conversation(Socket socket) {
            this.socket = socket;
        }

        private void record() {
            byte[] buf = new byte[8192];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (this) {
                        received.write(buf, 0, n);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // reset by the peer or closed by the script: the record ends here either way
            } finally {
                synchronized (this) {
                    peerClosed = true;
                    notifyAll();
                }
            }
        }

        /** Every byte received on this connection so far, as ISO-8859-1 text (one char per byte). */
        synchronized String received() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        /** Whether the other side (the gateway) closed or reset the connection. */
        boolean peerClosed() {
            return peerClosed;
        }

        /** Waits until the gateway closed the connection; false if it did not within {@code timeout}. */
        synchronized boolean awaitPeerClosed(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!peerClosed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        /** Blocks until the next request head (through the blank line) has arrived and returns it. */
        String readHead() throws InterruptedException, IOException {
            return readUntil("\r\n\r\n");
        }

        /** Blocks until {@code marker} has arrived after what was read so far; returns the text through it. */
        synchronized String readUntil(String marker) throws InterruptedException, IOException {
            while (true) {
                String all = received.toString(StandardCharsets.ISO_8859_1);
                int at = all.indexOf(marker, consumed);
                if (at >= 0) {
                    String part = all.substring(consumed, at + marker.length());
                    consumed = at + marker.length();
                    return part;
                }
                if (peerClosed) throw new IOException("the gateway closed the connection before sending " + marker.strip());
                wait(10_000);
            }
        }

        /** Blocks until {@code n} more bytes arrived; returns them. */
        synchronized String readBytes(int n) throws InterruptedException, IOException {
            while (received.size() - consumed < n) {
                if (peerClosed) throw new IOException("the gateway closed the connection after " + (received.size() - consumed) + " of " + n + " bytes");
                wait(10_000);
            }
            String part = received.toString(StandardCharsets.ISO_8859_1).substring(consumed, consumed + n);
            consumed += n;
            return part;
        }

        void write(String text) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /**
         * Writes {@code text} a byte at a time, each sent at once (no Nagle delay), so the gateway is likely to
         * read a response in many pieces; how many it reads at once is still up to it.
         */
        void writeEachByte(String text) throws IOException {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
            }
        }

        /** Writes {@code chunk} over and over, {@code total} bytes in all, adding each write to {@code sent} once it is accepted. */
        void writeRepeated(byte[] chunk, long total, java.util.concurrent.atomic.AtomicLong sent) throws IOException {
            OutputStream out = socket.getOutputStream();
            for (long left = total; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                sent.addAndGet(n);
                left -= n;
            }
            out.flush();
        }

        /** Resets the connection (RST): what a crashed or killed backend's kernel sends. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Closes the connection (FIN). */
        void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Conversation> conversations = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private ScriptedBackend(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.acceptor = Thread.ofPlatform().daemon().name("scripted-backend").start(this::acceptLoop);
    }

    static ScriptedBackend start(Script script) throws IOException {
        return new ScriptedBackend(script);
    }

    /** Answers every request head on a kept-alive connection with 200 and {@code body} (none to a HEAD). */
    static Script answering(String body) {
        return c -> {
            while (true) {
                String head = c.readHead();
                c.write("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n"
                        + (head.startsWith("HEAD ") ? "" : body));
            }
        };
    }

    /**
     * Reads every request on a kept-alive connection whole — its head, then as many body bytes as
     * its {@code Content-Length} says (none without one) — and answers each with {@code response}, written as it is.
     */
    static Script answeringAfterTheBody(String response) {
        return c -> {
            while (true) {
                String head = c.readHead();
                Matcher length = CONTENT_LENGTH.matcher(head);
                c.readBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                c.write(response);
            }
        };
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Conversation c = new Conversation(s);
                conversations.add(c);
                Thread.ofPlatform().daemon().start(c::record);
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        script.play(c);
                    } catch (Exception e) {
                        // the script ends when the gateway goes away; the record tells the test what happened
                    }
                });
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    List<Conversation> conversations() {
        return List.copyOf(conversations);
    }

    /** The {@code i}-th accepted connection, waiting up to 10 s for it. */
    Conversation conversation(int i) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (conversations.size() <= i) {
            if (System.nanoTime() > deadline) throw new AssertionError("the backend got no connection #" + i);
            Thread.sleep(5);
        }
        return conversations.get(i);
    }

    /** Everything received on every connection, in order of acceptance. */
    String allReceived() {
        StringBuilder b = new StringBuilder();
        for (Conversation c : conversations) b.append(c.received());
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Conversation c : conversations) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
