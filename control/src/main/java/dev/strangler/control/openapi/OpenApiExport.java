package dev.strangler.control.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointReconciler;
import dev.strangler.core.catalog.ObservedParameters;
import dev.strangler.core.catalog.EndpointSummary;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog as an OpenAPI 3.0 document (YAML): what the monolith's API really is, as observed.
 *
 * <p>The endpoints are reconciled first ({@link EndpointReconciler}), so no two paths are equivalent
 * (OpenAPI forbids templated paths that differ only in parameter names) and declared names win.
 * Each endpoint becomes an operation with its path parameters (every {@code {name}} in the template,
 * required; typed {@code integer}, {@code string/uuid}, {@code string/date} or {@code string/date-time}
 * when every value seen there was of that kind, else {@code string}), the query parameters its
 * requests carried (optional, with how many requests had each under {@value #EXTENSION}; their values
 * are never recorded, so no example is given), its observed status codes as responses ("observed 120
 * times"), and an {@value #EXTENSION} extension with the numbers. An endpoint never observed answers
 * {@code default}: OpenAPI requires at least one response. HTTP methods OpenAPI 3.0 has no field for
 * (WebDAV's {@code PROPFIND}, say) are listed under the path's {@value #OTHER_METHODS} extension
 * rather than dropped.
 */
public final class OpenApiExport {

    /** The operation extension with Strangler's numbers. */
    public static final String EXTENSION = "x-strangler";
    /** The path extension with the operations OpenAPI 3.0 cannot express, by method. */
    public static final String OTHER_METHODS = "x-strangler-other-methods";
    static final String OPENAPI_VERSION = "3.0.3";
    static final String INFO_VERSION = "observed";

    private static final Pattern PARAMETER = Pattern.compile("\\{([^{}/]+)}");

    private OpenApiExport() {
    }

    /** The document as YAML; endpoints in any order, several summaries of one endpoint are added. */
    public static String write(List<EndpointSummary> endpoints, String title) {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(title, "title");
        try {
            return Yaml.mapper().writeValueAsString(document(endpoints, title));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the OpenAPI document failed: " + e.getMessage(), e);
        }
    }

    static OpenAPI document(List<EndpointSummary> endpoints, String title) {
        Map<EndpointKey, EndpointSummary> byKey = new TreeMap<>();
        for (EndpointSummary endpoint : EndpointReconciler.reconcile(endpoints)) byKey.merge(endpoint.key(), endpoint, EndpointSummary::plus);

        Paths paths = new Paths();
        for (EndpointSummary endpoint : byKey.values()) {
            String template = endpoint.key().template();
            PathItem path = paths.computeIfAbsent(template, t -> new PathItem());
            String method = endpoint.key().method();
            Operation operation = operation(endpoint);
            if (!setOperation(path, method, operation)) {
                if (path.getExtensions() == null || !path.getExtensions().containsKey(OTHER_METHODS)) {
                    path.addExtension(OTHER_METHODS, new TreeMap<String, Object>());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> others = (Map<String, Object>) path.getExtensions().get(OTHER_METHODS);
                others.put(method, operation.getExtensions().get(EXTENSION));
            }
        }
        return new OpenAPI()
                .openapi(OPENAPI_VERSION)
                .info(new Info().title(title).version(INFO_VERSION)
                        .description("The monolith's API as Strangler saw it; numbers under " + EXTENSION + "."))
                .paths(paths);
    }

    private static Operation operation(EndpointSummary endpoint) {
        Operation operation = new Operation().responses(responses(endpoint));
        List<Integer> kinds = endpoint.parameters().pathKinds();
        int index = 0;
        for (String name : parameterNames(endpoint.key().template())) {
            int kind = index < kinds.size() ? kinds.get(index) : 0;
            index++;
            operation.addParametersItem(new PathParameter().name(name).required(true).schema(schemaOf(kind)));
        }
        new TreeMap<>(endpoint.parameters().queryNames()).forEach((name, count) -> {
            if (parameterNames(endpoint.key().template()).contains(name)) return; // a path parameter's name: OpenAPI keys by (name, in)
            QueryParameter query = new QueryParameter();
            query.name(name).required(false).schema(new StringSchema());
            query.addExtension(EXTENSION, Map.of("requests", count));
            operation.addParametersItem(query);
        });
        operation.addExtension(EXTENSION, numbers(endpoint));
        return operation;
    }

    /** The schema of a path parameter from the kinds of value seen there. */
    private static Schema<?> schemaOf(int kinds) {
        String[] type = ObservedParameters.openApiType(kinds);
        Schema<?> schema = type[0].equals("integer") ? new IntegerSchema() : new StringSchema();
        if (type[1] != null) schema.format(type[1]);
        return schema;
    }

    private static ApiResponses responses(EndpointSummary endpoint) {
        ApiResponses responses = new ApiResponses();
        new TreeMap<>(endpoint.statusCodes()).forEach((code, count) -> {
            if (code >= 100 && code <= 599) {
                responses.addApiResponse(String.valueOf(code),
                        new ApiResponse().description("observed " + count + (count == 1 ? " time" : " times")));
            }
        });
        if (responses.isEmpty()) {
            responses.addApiResponse("default", new ApiResponse().description(endpoint.count() == 0
                    ? "not observed yet" : "no status observed (the clients left before an answer)"));
        }
        return responses;
    }

    /** The names of the template's {@code {name}} segments, in order, each once. */
    static Set<String> parameterNames(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher parameter = PARAMETER.matcher(template);
        while (parameter.find()) names.add(parameter.group(1));
        return names;
    }

    private static Map<String, Object> numbers(EndpointSummary endpoint) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("declared", endpoint.declared());
        numbers.put("observed", endpoint.count() > 0);
        numbers.put("count", endpoint.count());
        if (endpoint.count() > 0) {
            numbers.put("errorRate", round(endpoint.errorRate()));
            Long aborted = endpoint.statusCodes().get(0);
            if (aborted != null) numbers.put("clientAborted", aborted);
        }
        if (endpoint.latency().count() > 0) {
            numbers.put("p50Ms", round(endpoint.latency().quantileMillis(0.5)));
            numbers.put("p99Ms", round(endpoint.latency().quantileMillis(0.99)));
        }
        if (endpoint.count() > 0) {
            numbers.put("requestBytes", endpoint.requestBytes());
            numbers.put("responseBytes", endpoint.responseBytes());
        }
        endpoint.firstSeen().ifPresent(t -> numbers.put("firstSeen", t.toString()));
        endpoint.lastSeen().ifPresent(t -> numbers.put("lastSeen", t.toString()));
        endpoint.route().ifPresent(route -> numbers.put("route", route));
        endpoint.stage().ifPresent(stage -> numbers.put("stage", stage.configName()));
        return numbers;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** False for a method OpenAPI 3.0 has no field for. */
    private static boolean setOperation(PathItem path, String method, Operation operation) {
        switch (method.toUpperCase(Locale.ROOT)) {
            case "GET" -> path.setGet(operation);
            case "PUT" -> path.setPut(operation);
            case "POST" -> path.setPost(operation);
            case "DELETE" -> path.setDelete(operation);
            case "OPTIONS" -> path.setOptions(operation);
            case "HEAD" -> path.setHead(operation);
            case "PATCH" -> path.setPatch(operation);
            case "TRACE" -> path.setTrace(operation);
            default -> {
                return false;
            }
        }
        return true;
    }
}
