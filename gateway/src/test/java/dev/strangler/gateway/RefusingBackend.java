package dev.strangler.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend on a plain {@link ServerSocket} that refuses uploads on sight: on each connection it reads
 * a request's head and, for a request with a body, writes its refusal in one write and resets the
 * connection (SO_LINGER 0) with the body unread, as Tomcat does with a body too large to swallow. A
 * bodiless {@code GET} is answered {@code 200} with its path, and that connection closed. It records
 * the request line that came first on each connection, in order of acceptance.
 */
final class RefusingBackend implements AutoCloseable {
    /** Runs on the connection's thread once an upload's head was read, before the refusal is written. */
    @FunctionalInterface
    interface BeforeRefusing {
        void run() throws Exception;
    }

    private final ServerSocket server;
    private final String refusal;
    private final BeforeRefusing beforeRefusing;
    private final List<String> firstRequestLines = new CopyOnWriteArrayList<>();

    private RefusingBackend(String refusal, BeforeRefusing beforeRefusing) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.refusal = refusal;
        this.beforeRefusing = beforeRefusing;
        Thread.ofPlatform().daemon().name("refusing-backend").start(this::acceptLoop);
    }

    /** Refuses every upload with {@code refusal}, written as it is. */
    static RefusingBackend start(String refusal) throws IOException {
        return new RefusingBackend(refusal, () -> { });
    }

    /** Refuses every upload with {@code refusal} once {@code beforeRefusing} has returned. */
    static RefusingBackend start(String refusal, BeforeRefusing beforeRefusing) throws IOException {
        return new RefusingBackend(refusal, beforeRefusing);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The first request line of each accepted connection, in order of acceptance. */
    List<String> firstRequestLines() {
        return List.copyOf(firstRequestLines);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> answer(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            String head = readHead(s.getInputStream());
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            firstRequestLines.add(requestLine);
            if (requestLine.startsWith("GET ")) {
                String path = requestLine.split(" ")[1];
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\nConnection: close\r\n\r\n" + path);
                return;
            }
            beforeRefusing.run();
            write(s, refusal);
            s.setSoLinger(true, 0); // RST, the body left unread
        } catch (Exception e) {
            // the gateway went away first
        }
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Reads through the head's blank line; a part of the body read with it is left unread as the rest. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        while (true) {
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) return text.substring(0, end + 4);
            int n = in.read(buf);
            if (n < 0) throw new IOException("closed before the head's end: " + text);
            received.write(buf, 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
