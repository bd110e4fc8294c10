package dev.strangler.control.openapi;

import dev.strangler.core.catalog.EndpointKey;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.servers.ServerVariable;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.LoggerFactory;

/**
 * Reads the endpoints an OpenAPI 3.0 or 3.1 document (YAML or JSON) of the monolith declares, to
 * seed the catalog so that endpoints nobody calls show up as such.
 *
 * <p>Every path × operation is one {@link EndpointKey}; templates keep the document's
 * {@code {param}} names. The path part of the servers' URLs (an operation's own servers, else its
 * path's, else the document's) prefixes the template, as it does on the wire: {@code servers:
 * [{url: https://shop.example/api/v1}]} and {@code /users/{id}} give {@code /api/v1/users/{id}}.
 * Server variables take their default values. Servers with different base paths each give a key.
 *
 * <p>Configuration-time code: anything the parser reports fails the import, all problems at once.
 */
public final class OpenApiImport {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]+)}");

    private OpenApiImport() {
    }

    /**
     * The declared endpoints, sorted and without duplicates. Blocks (reads the file and any file it
     * refers to).
     *
     * @throws OpenApiException naming the file and listing every problem, when the file is missing or
     *                          unreadable, not OpenAPI 3, or not valid
     */
    public static List<EndpointKey> read(Path file) {
        Objects.requireNonNull(file, "file");
        OpenAPI document = parse(file);
        Set<EndpointKey> keys = new TreeSet<>();
        if (document.getPaths() != null) {
            document.getPaths().forEach((template, path) -> {
                for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.readOperationsMap().entrySet()) {
                    for (String base : basePaths(file, servers(document, path, operation.getValue()))) {
                        keys.add(new EndpointKey(operation.getKey().name(), join(base, template)));
                    }
                }
            });
        }
        return List.copyOf(keys);
    }

    private static OpenAPI parse(Path file) {
        String content;
        try {
            content = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new OpenApiException(file, "no such file (expected: an OpenAPI 3 document, YAML or JSON)",
                    List.of(), e);
        } catch (CharacterCodingException e) {
            throw new OpenApiException(file, "not UTF-8 text (expected: an OpenAPI 3 document, YAML or JSON)",
                    List.of(), e);
        } catch (IOException e) {
            throw new OpenApiException(file, "cannot be read: " + e, List.of(), e);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true); // a path item may be a $ref to another file
        SwaggerParseResult result;
        try {
            result = new OpenAPIV3Parser().readContents(content, null, options, file.toAbsolutePath().toUri().toString());
        } catch (RuntimeException e) {
            throw new OpenApiException(file, "the OpenAPI parser failed: " + e, List.of(), e);
        }
        List<String> messages = result == null || result.getMessages() == null ? List.of()
                : result.getMessages().stream().filter(Objects::nonNull).toList();
        OpenAPI document = result == null ? null : result.getOpenAPI();
        if (document == null || document.getOpenapi() == null || !document.getOpenapi().startsWith("3.")) {
            String summary = content.lines().anyMatch(line -> line.matches("\\s*\"?swagger\"?\\s*:.*"))
                    ? "a Swagger 2.0 document; convert it to OpenAPI 3 first (for example with "
                    + "https://converter.swagger.io or editor.swagger.io's \"Convert to OpenAPI 3\")"
                    : "not an OpenAPI 3 document (expected: YAML or JSON with 'openapi: 3.0.x' or '3.1.x', "
                    + "'info' and 'paths')";
            throw new OpenApiException(file, summary, messages, null);
        }
        if (!messages.isEmpty() && (document.getPaths() == null || document.getPaths().isEmpty())) {
            throw new OpenApiException(file, "not a valid OpenAPI " + document.getOpenapi() + " document ("
                    + messages.size() + (messages.size() == 1 ? " problem" : " problems") + ") and no paths could be read; "
                    + "fix it and import again", messages, null);
        }
        // Real specs of monoliths are often a little wrong (an undeclared path parameter, a missing
        // description); what matters here is their paths and methods, so problems are warnings.
        if (!messages.isEmpty()) {
            LoggerFactory.getLogger(OpenApiImport.class).warn("{}: {} problem{} in the OpenAPI document, its paths are used "
                    + "anyway:\n  {}", file, messages.size(), messages.size() == 1 ? "" : "s", String.join("\n  ", messages));
        }
        return document;
    }

    private static List<Server> servers(OpenAPI document, PathItem path, Operation operation) {
        if (operation.getServers() != null && !operation.getServers().isEmpty()) return operation.getServers();
        if (path.getServers() != null && !path.getServers().isEmpty()) return path.getServers();
        return document.getServers() == null ? List.of() : document.getServers();
    }

    /** The distinct path parts of the servers' URLs, without a trailing slash; "" when there are none. */
    private static Set<String> basePaths(Path file, List<Server> servers) {
        Set<String> bases = new TreeSet<>();
        for (Server server : servers) {
            if (server.getUrl() != null) bases.add(basePath(file, server));
        }
        if (bases.isEmpty()) bases.add("");
        return bases;
    }

    static String basePath(Path file, Server server) {
        String url = withDefaults(file, server);
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int path = url.indexOf('/', scheme + 3);
            url = path < 0 ? "" : url.substring(path);
        }
        int end = indexOfAny(url, '?', '#');
        if (end >= 0) url = url.substring(0, end);
        if (!url.isEmpty() && !url.startsWith("/")) url = "/" + url;
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        return url;
    }

    private static String withDefaults(Path file, Server server) {
        Matcher variable = VARIABLE.matcher(server.getUrl());
        StringBuilder url = new StringBuilder();
        while (variable.find()) {
            ServerVariable declared = server.getVariables() == null ? null
                    : server.getVariables().get(variable.group(1));
            if (declared == null || declared.getDefault() == null) {
                throw new OpenApiException(file, "servers: url " + server.getUrl() + " uses {" + variable.group(1)
                        + "} (expected: a variable with a default under the server's 'variables')", List.of(), null);
            }
            variable.appendReplacement(url, Matcher.quoteReplacement(declared.getDefault()));
        }
        variable.appendTail(url);
        return url.toString();
    }

    private static int indexOfAny(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static String join(String base, String template) {
        String path = template.startsWith("/") ? template : "/" + template;
        return base + path;
    }
}
