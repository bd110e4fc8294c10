package dev.strangler.control.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.strangler.core.config.GatewayConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fleet of Strangler gateways on Kubernetes: a {@code Deployment} of N gateways sharing one
 * PostgreSQL store, a {@code Service} for user traffic and the admin API, a {@code ConfigMap}
 * holding the config file, and a {@code PodDisruptionBudget} keeping all but one running.
 *
 * <p>Probes use the admin {@code GET /health}; the pod's grace period is the config's
 * {@code shutdown.drain-timeout} plus {@value #GRACE_MARGIN_SECONDS} s, so Kubernetes never
 * kills a gateway that is still draining.
 */
public final class FleetManifests {
    static final String NAME = "strangler";
    static final String CONFIG_KEY = "strangler.yaml";
    static final int GRACE_MARGIN_SECONDS = 5;
    static final int DEFAULT_LISTEN_PORT = 8080;
    static final int DEFAULT_ADMIN_PORT = 9090;

    /** What the config file cannot say: how many gateways, which image, and the config's text. */
    public record Fleet(int replicas, String image, String configText) {
        public Fleet {
            if (replicas < 1) throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 1)");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(configText, "configText");
        }
    }

    private FleetManifests() {}

    public static List<HasMetadata> objects(GatewayConfig config, Fleet fleet) {
        Map<String, String> labels = new java.util.TreeMap<>(Map.of("app.kubernetes.io/name", NAME, "app.kubernetes.io/managed-by", "strangler"));
        // Port 0 (ephemeral, for tests and embedding) has no meaning in a pod: use the documented ports.
        int listen = config.listen().port() == 0 ? DEFAULT_LISTEN_PORT : config.listen().port();
        int admin = config.admin().listen().port() == 0 ? DEFAULT_ADMIN_PORT : config.admin().listen().port();
        Probe ready = new ProbeBuilder().withNewHttpGet().withPath("/health").withPort(new IntOrString("admin")).endHttpGet()
                .withPeriodSeconds(5).withFailureThreshold(2).build();
        Probe live = new ProbeBuilder().withNewHttpGet().withPath("/health").withPort(new IntOrString("admin")).endHttpGet()
                .withPeriodSeconds(10).withFailureThreshold(3).build();
        long grace = config.drainTimeout().toSeconds() + GRACE_MARGIN_SECONDS;
        return List.of(
                new ConfigMapBuilder().withMetadata(meta(labels)).addToData(CONFIG_KEY, fleet.configText()).build(),
                new DeploymentBuilder().withMetadata(meta(labels))
                        .withNewSpec().withReplicas(fleet.replicas())
                        .withNewSelector().addToMatchLabels("app.kubernetes.io/name", NAME).endSelector()
                        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec().withTerminationGracePeriodSeconds(grace)
                        .addNewContainer().withName(NAME).withImage(fleet.image())
                        .withArgs("run", "--config", "/etc/strangler/" + CONFIG_KEY)
                        .addNewPort().withName("http").withContainerPort(listen).endPort()
                        .addNewPort().withName("admin").withContainerPort(admin).endPort()
                        .withReadinessProbe(ready).withLivenessProbe(live)
                        .addNewVolumeMount().withName("config").withMountPath("/etc/strangler").withReadOnly(true).endVolumeMount()
                        .endContainer()
                        .addNewVolume().withName("config").withNewConfigMap().withName(NAME).endConfigMap().endVolume()
                        .endSpec().endTemplate().endSpec().build(),
                new ServiceBuilder().withMetadata(meta(labels)).withNewSpec()
                        .addToSelector("app.kubernetes.io/name", NAME)
                        .withPorts(new ServicePortBuilder().withName("http").withPort(listen).withTargetPort(new IntOrString("http")).build(),
                                new ServicePortBuilder().withName("admin").withPort(admin).withTargetPort(new IntOrString("admin")).build())
                        .endSpec().build(),
                new PodDisruptionBudgetBuilder().withMetadata(meta(labels)).withNewSpec()
                        .withMaxUnavailable(new IntOrString(1))
                        .withNewSelector().addToMatchLabels("app.kubernetes.io/name", NAME).endSelector()
                        .endSpec().build());
    }

    public static String render(GatewayConfig config, Fleet fleet) {
        StringBuilder out = new StringBuilder("""
                # Generated by `strangler export --format kubernetes`: N gateways sharing one state store.
                # The admin listen address must not be loopback inside a pod (probes come from the kubelet), and
                # the admin token should come from a Secret (env STRANGLER_ADMIN_TOKEN), not the ConfigMap.
                """);
        if (!config.storeUrl().startsWith("jdbc:postgresql:"))
            out.append("# WARNING: the store is ").append(config.storeUrlRedacted())
                    .append(": gateways of a fleet must share one PostgreSQL store, or each keeps its own stages.\n");
        if (config.admin().listen().isLoopback())
            out.append("# WARNING: admin.listen is loopback (").append(config.admin().listen())
                    .append("): the probes on /health cannot reach it; listen on 0.0.0.0 in the pod.\n");
        for (HasMetadata o : objects(config, fleet)) {
            out.append("---\n");
            try {
                out.append(ManifestText.yaml().writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise " + o.getKind(), e);
            }
        }
        return out.toString();
    }

    private static io.fabric8.kubernetes.api.model.ObjectMeta meta(Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(NAME).withLabels(labels).build();
    }
}
