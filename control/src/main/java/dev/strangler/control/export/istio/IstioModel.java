package dev.strangler.control.export.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The few fields of Istio's {@code networking.istio.io/v1} API that the export uses, as records
 * (fabric8's Istio model is not on Maven Central). Field names are Istio's, so Jackson writes and
 * reads the YAML an Istio control plane accepts. An absent field is {@code null} or empty inside this
 * model only, and is left out of the YAML.
 */
public final class IstioModel {
    public static final String API_VERSION = "networking.istio.io/v1";

    private IstioModel() {}

    /** Absent and empty read back alike: YAML leaves empty collections out. */
    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : List.copyOf(items);
    }

    /** Sorted, so the YAML is the same from one export to the next. */
    private static <V> Map<String, V> ordered(Map<String, V> entries) {
        return entries == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** Any Istio object the export writes: a VirtualService or a DestinationRule. */
    public sealed interface Resource permits VirtualService, DestinationRule {
        String kind();

        Metadata metadata();
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Metadata(String name, Map<String, String> labels, Map<String, String> annotations) {
        public Metadata {
            labels = ordered(labels);
            annotations = ordered(annotations);
        }
    }

    @JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
    public record VirtualService(String apiVersion, String kind, Metadata metadata, VirtualServiceSpec spec) implements Resource {
        public static VirtualService of(Metadata metadata, VirtualServiceSpec spec) {
            return new VirtualService(API_VERSION, "VirtualService", metadata, spec);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record VirtualServiceSpec(List<String> hosts, List<String> gateways, List<HttpRoute> http) {
        public VirtualServiceSpec {
            hosts = list(hosts);
            gateways = list(gateways);
            http = list(http);
        }
    }

    /** One entry of {@code http}: tried in order, the first whose {@code match} (any of them) fits wins. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record HttpRoute(String name, List<MatchRequest> match, Rewrite rewrite, List<RouteDestination> route,
                            Destination mirror, Percent mirrorPercentage, Retries retries, Headers headers) {
        public HttpRoute {
            match = list(match);
            route = list(route);
        }
    }

    /** Header edits of an http entry; Envoy applies the request's before it mirrors, so they reach the copy too. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Headers(HeaderOperations request) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record HeaderOperations(List<String> remove) {
        public HeaderOperations {
            remove = list(remove);
        }
    }

    /** The conditions of one match, all of them required; Istio's {@code method} is the {@code :method} pseudo-header. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record MatchRequest(StringMatch uri, StringMatch method, Map<String, StringMatch> headers) {
        public MatchRequest {
            headers = ordered(headers);
        }
    }

    /** Exactly one of the three is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StringMatch(String exact, String prefix, String regex) {
        public static StringMatch exact(String value) {
            return new StringMatch(value, null, null);
        }

        public static StringMatch prefix(String value) {
            return new StringMatch(null, value, null);
        }

        public static StringMatch regex(String value) {
            return new StringMatch(null, null, value);
        }
    }

    /** {@code uri} replaces the matched prefix (or the whole path for an exact or regex match). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rewrite(String uri) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RouteDestination(Destination destination, Integer weight) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Destination(String host, PortSelector port) {}

    public record PortSelector(int number) {}

    public record Percent(double value) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retries(int attempts, String perTryTimeout, String retryOn) {}

    @JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
    public record DestinationRule(String apiVersion, String kind, Metadata metadata, DestinationRuleSpec spec) implements Resource {
        public static DestinationRule of(Metadata metadata, DestinationRuleSpec spec) {
            return new DestinationRule(API_VERSION, "DestinationRule", metadata, spec);
        }
    }

    public record DestinationRuleSpec(String host, TrafficPolicy trafficPolicy) {}

    public record TrafficPolicy(LoadBalancer loadBalancer) {}

    public record LoadBalancer(ConsistentHash consistentHash) {}

    /** Exactly one of the three: a header's value, a cookie's, or the client's address. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsistentHash(String httpHeaderName, HttpCookie httpCookie, Boolean useSourceIp) {}

    /** Istio generates the cookie when it is missing and the ttl is set; the export never asks it to. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpCookie(String name, String ttl) {}
}
