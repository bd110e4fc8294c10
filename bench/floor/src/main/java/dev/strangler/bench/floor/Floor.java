package dev.strangler.bench.floor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The floor of each layer Strangler's request path stands on: four minimal reverse proxies that do the
 * NGINX reference's per-request work in bench/proxy.sh and nothing else (an X-Request-Id generated,
 * sent to the backend and returned to the client; one access-log line per request, written by a writer
 * thread; pooled keep-alive backend connections; one event loop, epoll when available). Their
 * requests/s against NGINX's say how much of Strangler's gap is the HTTP layers' and how much is its own.
 *
 * <pre>java -jar floor.jar vertx|netty|hybrid|own --listen HOST:PORT --backend HOST:PORT --access-log FILE</pre>
 */
public final class Floor {
    private Floor() {
    }

    /** Which layers carry the request: see each implementation's class comment. */
    public enum Mode {
        /** Vert.x HttpServer and HttpClient, written as a competent user would: {@link VertxFloor}. */
        VERTX,
        /** Raw Netty 4 codecs on both sides: {@link NettyFloor}. */
        NETTY,
        /** Vert.x HttpServer towards the client, the raw Netty backend pool towards the service: {@link HybridFloor}. */
        HYBRID,
        /** Raw Netty with the floor's own HTTP/1.1 head reading and writing on both sides, bodiless requests only: {@link OwnFloor}. */
        OWN;

        static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(name)) return m;
            }
            throw new IllegalArgumentException("mode: '" + name + "' (expected one of " + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
        }
    }

    /** What every floor needs: where to listen (port 0 picks one), where the backend is, where to log. */
    public record Settings(Mode mode, InetSocketAddress listen, InetSocketAddress backend, Path accessLog) {
        static Settings parse(String... args) {
            if (args.length != 7) throw new IllegalArgumentException(usage());
            Mode mode = Mode.parse(args[0]);
            InetSocketAddress listen = null;
            InetSocketAddress backend = null;
            Path log = null;
            for (int i = 1; i < args.length; i += 2) {
                switch (args[i]) {
                    case "--listen" -> listen = address("--listen", args[i + 1]);
                    case "--backend" -> backend = address("--backend", args[i + 1]);
                    case "--access-log" -> log = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + usage());
                }
            }
            if (listen == null || backend == null || log == null) throw new IllegalArgumentException(usage());
            return new Settings(mode, listen, backend, log);
        }

        private static InetSocketAddress address(String option, String value) {
            int colon = value.lastIndexOf(':');
            try {
                if (colon <= 0) throw new NumberFormatException();
                return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": '" + value + "' (expected: HOST:PORT)");
            }
        }

        private static String usage() {
            return "usage: floor vertx|netty|hybrid|own --listen HOST:PORT --backend HOST:PORT --access-log FILE";
        }
    }

    /** A started floor: the port it listens on, and how to stop it. */
    public interface Running extends AutoCloseable {
        int port();

        /** Which Netty transport carries its sockets ("epoll" or "nio"). */
        String transport();

        @Override
        void close();
    }

    /** A {@link Running} of these values; {@code stop} runs on {@link Running#close()}. */
    static Running running(int port, String transport, Runnable stop) {
        record Started(int port, String transport, Runnable stop) implements Running {
            @Override
            public void close() {
                stop.run();
            }
        }
        return new Started(port, transport, stop);
    }

    /** Starts the floor {@code settings} names; blocks until it listens. */
    public static Running start(Settings settings) throws IOException {
        AccessLog log = AccessLog.open(settings.accessLog());
        try {
            Running proxy = switch (settings.mode()) {
                case VERTX -> VertxFloor.start(settings, log);
                case NETTY -> NettyFloor.start(settings, log);
                case HYBRID -> HybridFloor.start(settings, log);
                case OWN -> OwnFloor.start(settings, log);
            };
            return running(proxy.port(), proxy.transport(), () -> {
                try {
                    proxy.close();
                } finally {
                    log.close();
                }
            });
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        Running running = start(settings);
        System.out.printf(Locale.ROOT, "floor %s listening on %s:%d (transport %s), backend %s, access log %s%n",
                settings.mode().name().toLowerCase(Locale.ROOT), settings.listen().getHostString(), running.port(),
                running.transport(), settings.backend(), settings.accessLog());
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
