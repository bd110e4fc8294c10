package dev.strangler.control.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet manifests: a golden file, and the objects read back into fabric8's typed model. */
class FleetManifestsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/export/kubernetes.yaml");
    private static final String CONFIG_TEXT = "listen: 0.0.0.0:8080\nstore: { url: jdbc:postgresql://db/strangler }\n";

    private static GatewayConfig config() {
        return GatewayConfig.of(Backend.of("monolith", URI.create("http://monolith.internal:8081")), Map.of(), List.of())
                .withListen(new HostPort("0.0.0.0", 8080)).withDrainTimeout(Duration.ofSeconds(20))
                .withStoreUrl("jdbc:postgresql://db/strangler");
    }

    @Test
    void theManifestsMatchTheGoldenFile() throws Exception {
        String rendered = FleetManifests.render(config(), new FleetManifests.Fleet(3, "registry.example/strangler:1.0", CONFIG_TEXT));
        ExportFixtures.assertMatchesGolden(GOLDEN, rendered);
    }

    @Test
    void nGatewaysProbeTheAdminHealthAndDrainBeforeTheyAreKilled() throws Exception {
        String rendered = FleetManifests.render(config(), new FleetManifests.Fleet(3, "registry.example/strangler:1.0", CONFIG_TEXT));
        List<JsonNode> docs = new ArrayList<>();
        var it = ManifestText.yaml().readValues(ManifestText.yaml().createParser(rendered), JsonNode.class);
        while (it.hasNext()) {
            JsonNode n = it.next();
            if (n != null && !n.isEmpty()) docs.add(n);
        }
        var m = ManifestText.yaml();
        Deployment deployment = m.treeToValue(find(docs, "Deployment"), Deployment.class);
        Service service = m.treeToValue(find(docs, "Service"), Service.class);
        ConfigMap configMap = m.treeToValue(find(docs, "ConfigMap"), ConfigMap.class);
        PodDisruptionBudget pdb = m.treeToValue(find(docs, "PodDisruptionBudget"), PodDisruptionBudget.class);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(25L);
        Container c = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(c.getArgs()).containsExactly("run", "--config", "/etc/strangler/strangler.yaml");
        assertThat(configMap.getData()).containsEntry("strangler.yaml", CONFIG_TEXT);
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(8080, 9090);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(rendered).contains("admin.listen is loopback");
    }

    private static JsonNode find(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.get("kind").asText().equals(kind)).findFirst().orElseThrow(() -> new AssertionError("no " + kind));
    }
}
