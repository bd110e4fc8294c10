package dev.strangler.control.export;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A real HTTP backend on a loopback port that answers with its name and records what it received. */
final class RecordingBackend implements AutoCloseable {
    /** @param shadowMark every {@code X-Strangler-Shadow} line received, joined with {@code ,}; null when there was none */
    record Received(String method, String uri, String requestId, String shadowMark, String body) {}

    final String name;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final HttpServer server;

    RecordingBackend(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("X-Request-Id"), shadowMark(exchange.getRequestHeaders().get("X-Strangler-Shadow")),
                    new String(body, StandardCharsets.UTF_8)));
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    private static String shadowMark(List<String> lines) {
        return lines == null || lines.isEmpty() ? null : String.join(",", lines);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
