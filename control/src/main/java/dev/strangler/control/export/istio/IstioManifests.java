package dev.strangler.control.export.istio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strangler.control.export.ManifestText;
import dev.strangler.control.export.istio.IstioModel.ConsistentHash;
import dev.strangler.control.export.istio.IstioModel.Destination;
import dev.strangler.control.export.istio.IstioModel.DestinationRule;
import dev.strangler.control.export.istio.IstioModel.DestinationRuleSpec;
import dev.strangler.control.export.istio.IstioModel.HeaderOperations;
import dev.strangler.control.export.istio.IstioModel.Headers;
import dev.strangler.control.export.istio.IstioModel.HttpCookie;
import dev.strangler.control.export.istio.IstioModel.HttpRoute;
import dev.strangler.control.export.istio.IstioModel.LoadBalancer;
import dev.strangler.control.export.istio.IstioModel.MatchRequest;
import dev.strangler.control.export.istio.IstioModel.Metadata;
import dev.strangler.control.export.istio.IstioModel.Percent;
import dev.strangler.control.export.istio.IstioModel.PortSelector;
import dev.strangler.control.export.istio.IstioModel.Resource;
import dev.strangler.control.export.istio.IstioModel.Retries;
import dev.strangler.control.export.istio.IstioModel.Rewrite;
import dev.strangler.control.export.istio.IstioModel.RouteDestination;
import dev.strangler.control.export.istio.IstioModel.StringMatch;
import dev.strangler.control.export.istio.IstioModel.TrafficPolicy;
import dev.strangler.control.export.istio.IstioModel.VirtualService;
import dev.strangler.control.export.istio.IstioModel.VirtualServiceSpec;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.PathPattern;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The plan as Istio objects: one {@code VirtualService} per host (routes without a host share one
 * for {@code "*"}), and a {@code DestinationRule} per service that a canary sends users to.
 *
 * <p>Why one VirtualService per host and not per route: Istio merges several VirtualServices bound
 * to the same host and gateway in no defined order, so the routes of a host must sit in one
 * {@code http} list, where Istio tries them in order. They keep the config's order (Strangler itself
 * picks the most specific route: list overlapping routes from the most specific down), and a last
 * entry without a match sends everything else to the monolith.
 *
 * <p>How stages map: {@code monolith} routes to the monolith; {@code shadow} routes to the monolith
 * with {@code mirror} to the service at {@code mirrorPercentage} 100; {@code canary} is two weighted
 * destinations whose integer weights sum to 100; {@code live} routes to the service with one retry on
 * a connect failure (unless {@code fallback: none}); {@code retired} routes to the service alone.
 *
 * <p>What Istio cannot express is written in the YAML's comments and kept out of the objects: a
 * sticky split between two services, fallback to another destination, a mark on the mirrored copy
 * only, a rewrite that applies to one weighted destination only, rewrites of path parameters.
 */
public final class IstioManifests {
    /** Kubernetes Service name of the monolith (the same as the Gateway API export's stub). */
    public static final String MONOLITH_SERVICE = "strangler-monolith";
    /** A live route is retried once on the service when nothing reached it; Istio cannot retry on the monolith. */
    static final String LIVE_RETRY_ON = "connect-failure,refused-stream";
    static final String SHADOW_HEADER = "X-Strangler-Shadow";
    /**
     * On every http entry: a client's own {@code X-Strangler-Shadow} never reaches a backend, as in
     * Strangler and the NGINX export. A service that skips side effects for shadow copies would
     * otherwise drop a real user's write sent with a forged mark. Envoy applies an entry's request
     * header edits before it mirrors, so the copy loses the client's mark too (and carries none).
     */
    static final Headers WITHOUT_CLIENTS_SHADOW_MARK = new Headers(new HeaderOperations(List.of(SHADOW_HEADER)));
    static final String ANY_HOST = "*";
    /** The last http entry of every VirtualService: whatever no route claims goes to the monolith. */
    public static final String DEFAULT_ENTRY = "unclaimed-to-monolith";

    private IstioManifests() {}

    /** Kubernetes name of the Service standing for a Strangler service (the same as the Gateway API export's). */
    public static String serviceName(String service) {
        return ManifestText.serviceName(service);
    }

    /**
     * The service's integer weight for a canary at {@code percent}: rounded half up, but kept within
     * 1..99 while the percent is strictly between 0 and 100, so a 0.5% canary still sends some users to
     * the service and a 99.6% one still keeps some on the monolith. The monolith gets the rest of 100.
     */
    public static int serviceWeight(double percent) {
        if (percent <= 0) return 0;
        if (percent >= 100) return 100;
        return (int) Math.max(1, Math.min(99, Math.round(percent)));
    }

    /** The objects, in order: one VirtualService per host, then the DestinationRules. */
    public static List<Resource> objects(GatewayConfig config, String gateway) {
        List<Resource> out = new ArrayList<>();
        for (Map.Entry<String, List<Route>> host : byHost(config).entrySet())
            out.add(virtualService(host.getKey(), host.getValue(), config, gateway));
        out.addAll(destinationRules(config));
        return out;
    }

    /** Renders every object as YAML documents with the comments a reader needs. */
    public static String render(GatewayConfig config, String gateway) {
        StringBuilder out = new StringBuilder("""
                # Generated by `strangler export --format istio`: kubectl apply -f this file.
                # Destinations are the Kubernetes Services strangler-monolith and strangler-svc-NAME
                # (`strangler export --format gateway-api` prints stubs for them).
                # Canary weights are integers summing to 100: the service's weight is the percent rounded half up,
                # kept within 1..99 while the percent is strictly between 0 and 100 (12.5% -> 13/87, 0.5% -> 1/99).
                # What Istio cannot express that Strangler does:
                #  - no sticky split between two services: weights pick a destination per request, so a user moves
                #    between the monolith and the service. consistentHash (DestinationRule) only keeps a user on one pod
                #    of the service; a header/cookie match could pin users only if a header already said the side;
                #  - shadow: the copy cannot be marked alone (headers.request.add would mark the monolith's request too,
                #    and a mirror has no headers of its own in Istio's API, though Envoy has them), so it carries no
                #    X-Strangler-Shadow: Envoy appends "-shadow" to its Host instead; the copy is not rewritten apart
                #    from the original, and nothing compares the responses: diffing needs Strangler. A client's own
                #    X-Strangler-Shadow is removed on every entry (headers.request.remove), so no backend sees one;
                #  - live: no "try the other destination": retries go to the service again, never to the monolith;
                #  - a rewrite applies to every destination of an http entry, so a canary cannot rewrite the service's
                #    path only (the split is exported without it); rewrites of path parameters ({id}) are not exported;
                #  - no controller: re-export after each move (`strangler export --watch --reload 'kubectl apply -f ...'`).
                """);
        for (Resource o : objects(config, gateway)) {
            out.append("---\n");
            if (o instanceof VirtualService vs) comments(out, config, vs);
            else out.append("# Keeps a user on one pod of the service (the sticky key of its first canary route); not a sticky split.\n");
            try {
                out.append(ManifestText.yaml().writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise " + o.kind() + " " + o.metadata().name(), e);
            }
        }
        return out.toString();
    }

    /** Reads an export back into the model, one object per YAML document; the comments are dropped. */
    public static List<Resource> parse(String yaml) {
        List<Resource> out = new ArrayList<>();
        try (var parser = ManifestText.yaml().createParser(yaml)) {
            var it = ManifestText.yaml().readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n == null || n.isNull() || n.isEmpty()) continue;
                String kind = n.path("kind").asText();
                switch (kind) {
                    case "VirtualService" -> out.add(ManifestText.yaml().treeToValue(n, VirtualService.class));
                    case "DestinationRule" -> out.add(ManifestText.yaml().treeToValue(n, DestinationRule.class));
                    default -> throw new IllegalArgumentException("kind: " + kind + " (expected: VirtualService or DestinationRule)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse an Istio export", e);
        }
        return out;
    }

    /**
     * The routes each VirtualService holds. Istio gives a request for a named host to that host's
     * VirtualService alone, never to the {@code "*"} one, while a Strangler route without a host claims
     * every host: so a named host's VirtualService lists its own routes, then the host-less ones.
     */
    static Map<String, List<Route>> byHost(GatewayConfig config) {
        Map<String, List<Route>> out = new LinkedHashMap<>();
        List<Route> anyHost = new ArrayList<>();
        for (Route r : config.routes()) {
            if (r.match().host().isPresent()) out.computeIfAbsent(r.match().host().get(), h -> new ArrayList<>()).add(r);
            else anyHost.add(r);
        }
        out.values().forEach(routes -> routes.addAll(anyHost));
        Map<String, List<Route>> ordered = new LinkedHashMap<>();
        if (!anyHost.isEmpty() || out.isEmpty()) ordered.put(ANY_HOST, anyHost);
        ordered.putAll(out);
        return ordered;
    }

    static VirtualService virtualService(String host, List<Route> routes, GatewayConfig config, String gateway) {
        List<HttpRoute> http = new ArrayList<>();
        for (Route r : routes) http.add(httpRoute(r, config));
        http.add(new HttpRoute(DEFAULT_ENTRY, List.of(), null, List.of(new RouteDestination(monolith(config), null)), null, null, null,
                WITHOUT_CLIENTS_SHADOW_MARK));
        String name = "strangler-" + (host.equals(ANY_HOST) ? "any-host" : ManifestText.dns(host));
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Route r : routes) annotations.put("strangler.dev/route." + ManifestText.dns(r.name()), r.position().toString());
        return VirtualService.of(new Metadata(name, Map.of("app.kubernetes.io/managed-by", "strangler"), annotations),
                new VirtualServiceSpec(List.of(host), List.of(gateway), http));
    }

    static HttpRoute httpRoute(Route r, GatewayConfig config) {
        Destination service = service(r, config);
        List<RouteDestination> to = new ArrayList<>();
        Destination mirror = null;
        Percent mirrorPercentage = null;
        Rewrite rewrite = null;
        Retries retries = null;
        switch (r.stage()) {
            case MONOLITH -> to.add(new RouteDestination(monolith(config), null));
            case SHADOW -> {
                to.add(new RouteDestination(monolith(config), null));
                mirror = service;
                mirrorPercentage = new Percent(100);
            }
            case CANARY -> {
                int weight = serviceWeight(r.percent());
                to.add(new RouteDestination(monolith(config), 100 - weight));
                to.add(new RouteDestination(service, weight));
            }
            case LIVE -> {
                to.add(new RouteDestination(service, null));
                rewrite = rewrite(r).orElse(null);
                retries = r.fallback() == FallbackPolicy.NONE ? new Retries(0, null, null) : new Retries(1, null, LIVE_RETRY_ON);
            }
            case RETIRED -> {
                to.add(new RouteDestination(service, null));
                rewrite = rewrite(r).orElse(null);
            }
        }
        return new HttpRoute(r.name(), matches(r), rewrite, to, mirror, mirrorPercentage, retries, WITHOUT_CLIENTS_SHADOW_MARK);
    }

    private static void comments(StringBuilder out, GatewayConfig config, VirtualService vs) {
        Map<String, Route> byName = new LinkedHashMap<>();
        config.routes().forEach(r -> byName.put(r.name(), r));
        for (HttpRoute entry : vs.spec().http()) {
            Route r = byName.get(entry.name());
            if (r == null) continue;
            out.append("# route ").append(r.name()).append(": ").append(r.match().path()).append(" -> ").append(r.service())
                    .append(", stage ").append(r.position());
            if (r.match().host().isEmpty() && !vs.spec().hosts().contains(ANY_HOST)) out.append(" (any host)");
            if (r.stage() == Stage.CANARY)
                out.append(" as weight ").append(serviceWeight(r.percent()))
                        .append(" (per request, not sticky by ").append(ManifestText.stickyText(r.sticky())).append(')');
            out.append('\n');
            if (r.rewrite().isPresent()) {
                if (rewrite(r).isEmpty())
                    out.append("# NOT EXPRESSED: rewrite ").append(r.rewrite().get()).append(" (path parameters or a different shape)\n");
                else if (r.stage() == Stage.CANARY || r.stage() == Stage.SHADOW)
                    out.append("# NOT EXPRESSED: rewrite ").append(r.rewrite().get())
                            .append(" while the monolith also receives this route's requests (one rewrite per http entry)\n");
                else if (r.match().path().endsWithCatchAll() && !ManifestText.literalPrefix(r.match().path()).equals("/")
                        && !rewrite(r).get().uri().equals("/"))
                    out.append("# note: the bare ").append(ManifestText.literalPrefix(r.match().path())).append(" reaches the service as ")
                            .append(rewrite(r).get().uri()).append(" (Istio replaces the whole path of an exact match)\n");
            }
            if (r.stage() == Stage.LIVE && r.fallback() != FallbackPolicy.NONE)
                out.append("# NOT EXPRESSED: fallback to the monolith (").append(r.fallback().configName())
                        .append("); one retry on the service when the connection fails\n");
            if (r.stage() == Stage.CANARY && r.shadow().inCanary())
                out.append("# NOT EXPRESSED: shadow of the monolith's share during the canary (a mirror copies every request)\n");
        }
    }

    private static List<DestinationRule> destinationRules(GatewayConfig config) {
        Map<String, StickyKey> byService = new LinkedHashMap<>();
        for (Route r : config.routes())
            if (r.stage() == Stage.CANARY) byService.putIfAbsent(r.service(), r.sticky());
        List<DestinationRule> out = new ArrayList<>();
        byService.forEach((service, sticky) -> out.add(DestinationRule.of(
                new Metadata(serviceName(service), Map.of("app.kubernetes.io/managed-by", "strangler"), Map.of()),
                new DestinationRuleSpec(serviceName(service), new TrafficPolicy(new LoadBalancer(consistentHash(sticky)))))));
        return out;
    }

    private static ConsistentHash consistentHash(StickyKey sticky) {
        return switch (sticky) {
            case StickyKey.Header h -> new ConsistentHash(h.name().toLowerCase(Locale.ROOT), null, null);
            case StickyKey.Cookie c -> new ConsistentHash(null, new HttpCookie(c.name(), null), null);
            case StickyKey.ClientIp ip -> new ConsistentHash(null, null, true);
        };
    }

    private static Destination monolith(GatewayConfig config) {
        return new Destination(MONOLITH_SERVICE, new PortSelector(port(config.monolith())));
    }

    private static Destination service(Route r, GatewayConfig config) {
        return new Destination(serviceName(r.service()), new PortSelector(port(config.service(r.service()))));
    }

    private static int port(Backend backend) {
        return Backend.port(backend.urls().getFirst());
    }

    /**
     * The path matches: a regex for path parameters; for {@code /x/**} an exact {@code /x} and a
     * prefix {@code /x/} (Istio's prefix is a string prefix, so a bare {@code /x} prefix would also
     * claim {@code /xy}); an exact path otherwise. Each is crossed with each method (any of the
     * matches fits), and every one carries the route's header conditions.
     */
    static List<MatchRequest> matches(Route r) {
        PathPattern p = r.match().path();
        List<StringMatch> uris = new ArrayList<>();
        if (!p.paramNames().isEmpty()) uris.add(StringMatch.regex(ManifestText.regex(p)));
        else if (p.endsWithCatchAll()) {
            String prefix = ManifestText.literalPrefix(p);
            if (prefix.equals("/")) uris.add(StringMatch.prefix("/"));
            else {
                uris.add(StringMatch.exact(prefix));
                uris.add(StringMatch.prefix(prefix + "/"));
            }
        } else uris.add(StringMatch.exact(p.toString()));
        Map<String, StringMatch> headers = new LinkedHashMap<>();
        r.match().headers().forEach((k, v) -> headers.put(k, StringMatch.exact(v)));
        List<StringMatch> methods = new ArrayList<>();
        for (String m : new TreeSet<>(r.match().methods())) methods.add(StringMatch.exact(m));
        if (methods.isEmpty()) methods.add(null);
        List<MatchRequest> out = new ArrayList<>();
        for (StringMatch method : methods)
            for (StringMatch uri : uris) out.add(new MatchRequest(uri, method, headers));
        return out;
    }

    /**
     * The service's {@code rewrite}: for {@code /x/**} to {@code /y/**} the matched prefix {@code /x/}
     * becomes {@code /y/} (and the bare {@code /x}, matched exactly, becomes {@code /y/}); a literal
     * path to a literal path is replaced whole. Path parameters have no Istio equivalent here.
     */
    static Optional<Rewrite> rewrite(Route r) {
        PathPattern p = r.match().path();
        if (p.endsWithCatchAll()) return ManifestText.RewriteText.prefixReplacement(r).map(Rewrite::new);
        return ManifestText.RewriteText.of(r).filter(t -> !t.usesParams() && p.paramNames().isEmpty()).map(t -> new Rewrite(t.head()));
    }

}
