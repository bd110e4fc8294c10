package dev.strangler.gateway;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An embedded Tomcat on a loopback port: the servlet monolith our users migrate, behind the gateway.
 * {@link MonolithServlet} answers under the context path {@link #CONTEXT} ({@code /app/api/*}) and
 * records every request as Tomcat's servlet saw it; anything else under {@code /app} gets Tomcat's
 * own 404 page. Tests read the records with {@link #nextReceived()}; they are never shared between
 * instances, so a test that needs a second backend (a service) starts a second Tomcat.
 */
final class TomcatBackend implements AutoCloseable {
    static final String CONTEXT = "/app";
    /** Kept: java.util.logging holds loggers weakly, and a collected one forgets its level. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(Level.WARNING); // start-up chatter would bury the test output
        Registry.disableRegistry(); // no JMX beans: nothing reads them, and registering them slowed a start (5.6 s to 2.1 s without, on a loaded machine)
    }

    private final Tomcat tomcat;
    private final Connector connector;
    private final Path baseDir;
    private final BlockingQueue<MonolithServlet.Received> received;
    private final BlockingQueue<String> arrivals;
    private final AtomicReference<CountDownLatch> hold;
    private final int port;
    private boolean closed;

    private TomcatBackend(int port, BlockingQueue<MonolithServlet.Received> received, BlockingQueue<String> arrivals,
                          AtomicReference<CountDownLatch> hold) throws IOException, LifecycleException {
        this.received = received;
        this.arrivals = arrivals;
        this.hold = hold;
        baseDir = Files.createTempDirectory("tomcat-backend");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        StandardContext app = (StandardContext) tomcat.addContext(CONTEXT, baseDir.toString());
        // leak detection is for redeployed webapps; here it only warns that it lacks --add-opens
        app.setClearReferencesThreadLocals(false);
        app.setClearReferencesRmiTargets(false);
        Tomcat.addServlet(app, "monolith", new MonolithServlet(received, arrivals, hold));
        app.addServletMappingDecoded("/api/*", "monolith");
        tomcat.start();
        this.port = connector.getLocalPort(); // kept: a stopped connector forgets it
    }

    /** Starts Tomcat on an ephemeral loopback port. */
    static TomcatBackend start() throws Exception {
        return new TomcatBackend(0, new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new AtomicReference<>());
    }

    /**
     * A new Tomcat on this one's port (after {@link #close()}), as a restarted monolith comes back on
     * its address; it keeps recording into the same queues.
     */
    TomcatBackend restart() throws Exception {
        return new TomcatBackend(port(), received, arrivals, hold);
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The next request the servlet finished reading (its body complete or failed); fails after 10 s. */
    MonolithServlet.Received nextReceived() throws InterruptedException {
        MonolithServlet.Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("Tomcat's servlet recorded no request within 10 s");
        return r;
    }

    /** Every request recorded so far, without waiting. */
    List<MonolithServlet.Received> drainReceived() {
        List<MonolithServlet.Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    /** Waits until the servlet was entered for a request (before it reads the body); returns its request URI. */
    String awaitArrival() throws InterruptedException {
        String uri = arrivals.poll(10, TimeUnit.SECONDS);
        if (uri == null) throw new AssertionError("no request reached Tomcat's servlet within 10 s");
        return uri;
    }

    /** Forgets every record: a test starts from what it sends itself. */
    void forget() {
        received.clear();
        arrivals.clear();
    }

    /**
     * The next request to the servlet waits (at most {@link MonolithServlet#LONGEST_HOLD}) until the
     * returned latch is counted down, as a cold-starting monolith's first request does.
     */
    CountDownLatch holdNextRequest() {
        CountDownLatch latch = new CountDownLatch(1);
        hold.set(latch);
        return latch;
    }

    /** Stops Tomcat (once; again is a no-op); its connections are closed and its port is free. */
    @Override
    public void close() throws Exception {
        if (closed) return;
        closed = true;
        tomcat.stop();
        tomcat.destroy();
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
