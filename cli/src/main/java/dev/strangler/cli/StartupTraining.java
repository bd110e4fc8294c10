package dev.strangler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The workload the {@code ./strangler} launcher records a JVM start-up cache from (an AOT cache on
 * JDK 25, a CDS archive on JDK 21: see {@code bin/startup-cache}). Not a command: it is run as
 * {@code java -cp strangler.jar dev.strangler.cli.StartupTraining cli|run}.
 *
 * <p>The cache holds every class the training loaded, and on JDK 25 they are all loaded, linked, at
 * the start of every later run. So each workload loads what its commands need and nothing more:
 * <ul>
 *   <li>{@code cli}: the commands that talk to a gateway, each once, against an in-process stand-in
 *       for the admin API made of a plain {@link ServerSocket} (classes those commands load anyway);
 *       their help, a bad option and an unreachable gateway, so the error paths are cached too;</li>
 *   <li>{@code run}: what {@code strangler run} does up to ready (config, state store on H2, Flyway,
 *       Vert.x, the admin port), on port 0 with a store in a temporary directory, then a stop.</li>
 * </ul>
 * Output goes nowhere; the launcher keeps the training's stderr in a log next to the cache.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) throws Exception {
        String workload = args.length > 0 ? args[0] : "cli";
        switch (workload) {
            case "cli" -> cli();
            case "run" -> GatewayTraining.run();
            default -> throw new IllegalArgumentException("workload: " + workload + " (expected: cli or run)");
        }
        System.exit(0);
    }

    private static void cli() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> serve(socket), "training-admin");
            server.setDaemon(true);
            server.start();
            String admin = "http://127.0.0.1:" + socket.getLocalPort();
            Path dir = Files.createTempDirectory("strangler-training");
            Path config = dir.resolve("strangler.yaml");
            Files.writeString(config, "admin: { listen: 127.0.0.1:" + socket.getLocalPort() + ", token: ${TRAINING_TOKEN:-t} }\n");
            List<String[]> commands = List.of(
                    new String[] {"--version"},
                    new String[] {"status", "--help"},
                    new String[] {"status", "--config", config.toString()},
                    new String[] {"status", "--admin", admin, "--json"},
                    new String[] {"history", "--admin", admin},
                    new String[] {"history", "posts-read", "--admin", admin, "--limit", "5"},
                    new String[] {"diff", "posts-read", "--admin", admin},
                    new String[] {"promote", "posts-read", "--to", "canary:25", "--reason", "r", "--admin", admin},
                    new String[] {"rollback", "posts-read", "--reason", "r", "--admin", admin},
                    new String[] {"percent", "posts-read", "5", "--reason", "r", "--admin", admin},
                    new String[] {"pause", "posts-read", "--admin", admin},
                    new String[] {"resume", "posts-read", "--admin", admin},
                    new String[] {"promote", "conflict", "--admin", admin},
                    new String[] {"status", "--bogus"},
                    new String[] {"status", "--admin", "http://127.0.0.1:1"});
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            for (String[] command : commands) {
                var cl = Main.commandLine(command);
                cl.setOut(nowhere);
                cl.setErr(nowhere);
                cl.execute(command);
            }
            Files.delete(config);
            Files.delete(dir);
        }
    }

    /** Answers each request with a document shaped as docs/admin-api.md says, one connection at a time. */
    private static void serve(ServerSocket socket) {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                String head = readHead(in);
                String requestLine = head.lines().findFirst().orElse("");
                long length = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElse(0);
                in.readNBytes((int) length);
                boolean conflict = requestLine.contains("/conflict/");
                byte[] body = (conflict ? PROBLEM : answer(requestLine)).getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(((conflict ? "HTTP/1.1 409 Conflict" : "HTTP/1.1 200 OK") + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
        }
        return head.toString();
    }

    private static String answer(String requestLine) {
        if (requestLine.startsWith("POST")) return "{\"route\": " + ROUTE + ", \"audit\": " + AUDIT + "}";
        if (requestLine.contains("/api/audit")) return "[" + AUDIT + "]";
        if (requestLine.contains("/api/shadow/")) return SHADOW;
        return "[" + ROUTE + "]";
    }

    private static final String ROUTE = """
            {"name": "posts-read", "service": "posts", "stage": "canary", "percent": 5.0, "paused": false, "automated": true,
             "path": "/api/posts/**", "methods": ["GET"], "since": "2026-11-25T14:00:00Z", "next": {"stage": "canary", "percent": 25.0},
             "steps": [1.0, 5.0, 25.0],
             "window": {"monolith": {"requests": 950, "errors": 3, "errorRate": 0.0032, "p50Ms": 4.1, "p99Ms": 20.3},
                        "service": {"requests": 50, "errors": 0, "errorRate": 0.0, "p50Ms": 3.9, "p99Ms": 18.0, "fallbacks": 0},
                        "shadow": {"compared": 10, "matched": 9, "matchRate": 0.9}},
             "lastDecision": {"at": "2026-11-25T14:01:00Z", "action": "hold", "summary": "waiting for 400 service requests"},
             "hold": null}""";
    private static final String AUDIT = """
            {"id": 12, "at": "2026-11-25T14:00:00Z", "route": "posts-read", "actor": "controller", "action": "promote",
             "from": {"stage": "canary", "percent": 1.0}, "to": {"stage": "canary", "percent": 5.0}, "reason": "every gate passed",
             "evidence": ["error rate: PASS"]}""";
    private static final String SHADOW = """
            {"route": "posts-read", "comparisons": 10, "matches": 9, "mismatches": 1, "matchRate": 0.9, "dropped": {"queueFull": 0},
             "paths": [{"path": "$.price", "mismatches": 1, "noise": "REAL", "monolith": "10", "service": "12"}],
             "samples": [{"request": "GET /api/posts/1", "matched": false, "monolith": {"status": 200}, "service": {"status": 200},
                          "differences": [{"kind": "changed", "path": "$.price", "monolith": "10", "service": "12"}]}]}""";
    private static final String PROBLEM = """
            {"type": "https://strangler.dev/problems/conflict", "title": "conflict", "status": 409, "detail": "moved meanwhile"}""";
}
