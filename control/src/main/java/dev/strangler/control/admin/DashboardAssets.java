package dev.strangler.control.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard's pages: static files from the jar ({@code dashboard/} on the classpath, and uPlot
 * from its WebJar), no CDN, no build step. They hold no data and need no token: the page asks for
 * the token and sends it as a bearer to {@code /api}, which checks it like any other client's.
 *
 * <pre>
 * GET /             the dashboard (index.html; pages are #/, #/route/NAME, #/catalog)
 * GET /ui/*         its scripts and styles
 * GET /ui/uplot/*   uPlot (charts), from org.webjars.npm:uplot
 * </pre>
 */
final class DashboardAssets {
    /** Where uPlot's files sit inside its WebJar. */
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";
    /**
     * Scripts only from the admin itself (no inline script, no other origin), no framing. Inline
     * styles are allowed because uPlot sizes its canvas with them.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private DashboardAssets() {}

    static void install(Router router) {
        router.get("/").handler(ctx -> headers(ctx).putHeader("Content-Type", "text/html; charset=utf-8")
                .sendFile("dashboard/index.html"));
        router.route("/ui/uplot/*").handler(ctx -> {
            headers(ctx);
            ctx.next();
        }).handler(StaticHandler.create(UPLOT).setCachingEnabled(true).setMaxAgeSeconds(86_400));
        router.route("/ui/*").handler(ctx -> {
            headers(ctx);
            ctx.next();
        }).handler(StaticHandler.create("dashboard").setCachingEnabled(false).setDirectoryListing(false));
    }

    private static io.vertx.core.http.HttpServerResponse headers(RoutingContext ctx) {
        return ctx.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
    }
}
