package dev.strangler.control.openapi;

import dev.strangler.core.catalog.EndpointKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiImportTest {

    @TempDir
    Path directory;

    static Path shop() throws URISyntaxException {
        return Path.of(OpenApiImportTest.class.getResource("/openapi/shop.yaml").toURI());
    }

    @Test
    void everyPathAndOperationIsDeclaredUnderTheServersBasePath() throws Exception {
        assertThat(OpenApiImport.read(shop())).containsExactly(
                new EndpointKey("HEAD", "/api/v1/health"),
                new EndpointKey("GET", "/api/v1/orders/export"),
                new EndpointKey("PATCH", "/api/v1/orders/{orderId}/items/{itemId}"),
                new EndpointKey("GET", "/api/v1/users"),
                new EndpointKey("POST", "/api/v1/users"),
                new EndpointKey("GET", "/api/v1/users/me"),
                new EndpointKey("DELETE", "/api/v1/users/{userId}"),
                new EndpointKey("GET", "/api/v1/users/{userId}"),
                new EndpointKey("PUT", "/api/v1/users/{userId}"),
                new EndpointKey("GET", "/api/v1/users/{userId}/orders"));
    }

    @Test
    void aJsonOpenApi31DocumentWithServerVariablesAndOperationServersIsRead() throws IOException {
        Path file = write("api.json", """
                {
                  "openapi": "3.1.0",
                  "info": {"title": "Blog", "version": "1"},
                  "servers": [{"url": "{scheme}://blog.example/{base}", "variables": {
                      "scheme": {"default": "https", "enum": ["http", "https"]},
                      "base": {"default": "blog/api"}}}],
                  "paths": {
                    "/posts/{slug}": {"get": {"responses": {"200": {"description": "a post"}}},
                                      "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}}]},
                    "/uploads": {"post": {"servers": [{"url": "https://uploads.example/"}, {"url": "/media"}],
                                          "responses": {"201": {"description": "stored"}}}}
                  }
                }
                """);

        assertThat(OpenApiImport.read(file)).containsExactly(
                new EndpointKey("GET", "/blog/api/posts/{slug}"),
                new EndpointKey("POST", "/media/uploads"),
                new EndpointKey("POST", "/uploads"));
    }

    @Test
    void aDocumentWithoutServersDeclaresThePathsAsWritten() throws IOException {
        Path file = write("api.yaml", """
                openapi: 3.0.0
                info: { title: t, version: '1' }
                paths:
                  /: { get: { responses: { '200': { description: root } } } }
                  /a/{id}: { options: { parameters: [{ name: id, in: path, required: true, schema: { type: string } }],
                                        responses: { '204': { description: ok } } } }
                """);

        assertThat(OpenApiImport.read(file)).containsExactly(new EndpointKey("GET", "/"),
                new EndpointKey("OPTIONS", "/a/{id}"));
    }

    @Test
    void aMissingFileIsNamedInTheError() {
        Path missing = directory.resolve("nope.yaml");

        assertThatThrownBy(() -> OpenApiImport.read(missing))
                .isInstanceOf(OpenApiException.class)
                .hasMessageStartingWith(missing + ": no such file")
                .hasMessageContaining("OpenAPI 3 document");
    }

    @Test
    void aFileThatIsNotOpenApiSaysWhatWasExpected() throws IOException {
        Path config = write("strangler.yaml", """
                listen: 0.0.0.0:8080
                monolith: { url: http://127.0.0.1:8081 }
                """);

        assertThatThrownBy(() -> OpenApiImport.read(config))
                .isInstanceOf(OpenApiException.class)
                .hasMessageStartingWith(config + ": not an OpenAPI 3 document")
                .hasMessageContaining("openapi: 3.0.x");
    }

    @Test
    void aSwagger2DocumentIsToldToBeConvertedFirst() throws IOException {
        Path file = write("swagger.yaml", """
                swagger: '2.0'
                info: { title: old, version: '1' }
                paths:
                  /users: { get: { responses: { '200': { description: ok } } } }
                """);

        assertThatThrownBy(() -> OpenApiImport.read(file))
                .isInstanceOf(OpenApiException.class)
                .hasMessageContaining("Swagger 2.0")
                .hasMessageContaining("convert it to OpenAPI 3");
    }

    @Test
    void aDocumentWithProblemsIsStillReadForItsPathsAndMethods() throws IOException {
        Path file = write("sloppy.yaml", """
                openapi: 3.0.3
                info: { title: sloppy }
                paths:
                  /users/{id}:
                    get:
                      parameters: [{ name: id, in: nowhere }]
                      responses: { '200': { description: ok } }
                  /orders:
                    post: { responses: { '201': { description: created } }, requestBody: 7 }
                """);

        assertThat(OpenApiImport.read(file)).extracting(EndpointKey::toString)
                .containsExactly("POST /orders", "GET /users/{id}");
    }

    @Test
    void aDocumentWithProblemsAndNoPathsIsRefusedListingEveryProblem() throws IOException {
        Path file = write("broken.yaml", """
                openapi: 3.0.3
                info: { title: broken }
                paths: 7
                """);

        OpenApiException error = catchOpenApiException(file);
        assertThat(error.file()).isEqualTo(file);
        assertThat(error.problems()).isNotEmpty();
        assertThat(error.getMessage()).startsWith(file + ": not a valid OpenAPI 3.0.3 document")
                .contains("no paths could be read").contains(error.problems().getLast());
    }

    @Test
    void aServerVariableWithoutADefaultIsRefused() throws IOException {
        Path file = write("api.yaml", """
                openapi: 3.0.3
                info: { title: t, version: '1' }
                servers: [{ url: 'https://x/{base}' }]
                paths: { /a: { get: { responses: { '200': { description: ok } } } } }
                """);

        assertThatThrownBy(() -> OpenApiImport.read(file)).isInstanceOf(OpenApiException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("{base}");
    }

    private static OpenApiException catchOpenApiException(Path file) {
        try {
            OpenApiImport.read(file);
        } catch (OpenApiException e) {
            return e;
        }
        throw new AssertionError("expected an OpenApiException for " + file);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }
}
