package dev.strangler.control.testing;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** OpenAPI documents of a monolith, as test resources. */
public final class OpenApiDocuments {
    private OpenApiDocuments() {}

    /** Declares GET /api/users/{userId}, /api/users/me and /api/reports/yearly. */
    public static Path usersAndReports() throws URISyntaxException {
        return Path.of(OpenApiDocuments.class.getResource("/openapi/users-and-reports.yaml").toURI());
    }
}
