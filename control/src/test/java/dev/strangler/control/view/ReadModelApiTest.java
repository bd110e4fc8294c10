package dev.strangler.control.view;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's views over a real gateway: overview, series and catalog (a store outage: FleetTest). */
class ReadModelApiTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    private StranglerProcess start(String storeUrl, String interval) {
        return gateways.start(dir.resolve("strangler.yaml"), Gateways.config(storeUrl, backends.healthy().actualPort(),
                backends.healthy().actualPort(), interval, """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: shadow
                """));
    }

    @Test
    void theOverviewCountsProgressByStageAndListsTheUnclaimedEndpointsAndEveryRoute() {
        StranglerProcess p = start("jdbc:h2:file:" + dir.resolve("state"), "1h");
        for (int i = 0; i < 3; i++) assertThat(get(p.port(), "/api/orders/" + i).statusCode()).isEqualTo(200);
        assertThat(get(p.port(), "/api/invoices/7").statusCode()).isEqualTo(200);

        // The overview reads the catalog as stored (the recorder writes it every interval, here 1h);
        // the catalog page writes this gateway's latest requests first.
        assertThat(get(p.adminPort(), "/api/catalog/view").statusCode()).isEqualTo(200);
        JsonObject overview = json(get(p.adminPort(), "/api/overview"));
        assertThat(overview.getString("store")).isEqualTo("reachable");
        assertThat(overview.getJsonArray("routes").getJsonObject(0).getString("name")).isEqualTo("orders");
        assertThat(overview.getJsonArray("routes").getJsonObject(0).getJsonObject("window").getJsonObject("monolith")
                .getLong("requests")).isEqualTo(3);
        assertThat(overview.getLong("unclaimedCount")).isEqualTo(1);
        assertThat(overview.getJsonArray("unclaimed").getJsonObject(0).getString("template")).startsWith("/api/invoices/");
        JsonObject shadow = stage(overview.getJsonObject("progress"), "shadow");
        assertThat(shadow.getInteger("routes")).isEqualTo(1);
        assertThat(shadow.getLong("endpoints")).isEqualTo(1);
        assertThat(shadow.getLong("requests")).isEqualTo(3);
        assertThat(shadow.getDouble("requestShare")).isEqualTo(0.75);
        assertThat(stage(overview.getJsonObject("progress"), "unclaimed").getDouble("requestShare")).isEqualTo(0.25);

        JsonArray series = array(get(p.adminPort(), "/api/routes/orders/series"));
        long counted = 0;
        for (int i = 0; i < series.size(); i++) {
            counted += series.getJsonObject(i).getJsonObject("window").getJsonObject("monolith").getLong("requests");
        }
        assertThat(counted).isEqualTo(3);
        assertThat(get(p.adminPort(), "/api/routes/orders/series?since=yesterday").statusCode()).isEqualTo(400);

        JsonObject catalog = json(get(p.adminPort(), "/api/catalog/view"));
        assertThat(catalog.getJsonArray("endpoints")).hasSize(2);
        assertThat(catalog.getJsonArray("pilots").getJsonObject(0).getString("prefix")).startsWith("/api/invoices");
        assertThat(catalog.getJsonArray("pilots").getJsonObject(0).getString("explanation")).isNotBlank();
    }

    private static JsonObject stage(JsonObject progress, String name) {
        JsonArray stages = progress.getJsonArray("stages");
        for (int i = 0; i < stages.size(); i++) {
            if (stages.getJsonObject(i).getString("stage").equals(name)) return stages.getJsonObject(i);
        }
        throw new AssertionError("no stage " + name + " in " + progress.encode());
    }
}
