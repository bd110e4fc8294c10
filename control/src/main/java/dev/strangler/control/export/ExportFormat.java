package dev.strangler.control.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** An engine the plan can be exported to, by the name {@code --format} takes. */
public enum ExportFormat {
    NGINX("nginx", "strangler-nginx.conf"),
    GATEWAY_API("gateway-api", "strangler-gateway-api.yaml"),
    ISTIO("istio", "strangler-istio.yaml"),
    KUBERNETES("kubernetes", "strangler-kubernetes.yaml");

    private final String cliName;
    private final String fileName;

    ExportFormat(String cliName, String fileName) {
        this.cliName = cliName;
        this.fileName = fileName;
    }

    public String cliName() {
        return cliName;
    }

    /** The file written under {@code --out}. */
    public String fileName() {
        return fileName;
    }

    public static Optional<ExportFormat> parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.cliName.equals(t)).findFirst();
    }
}
