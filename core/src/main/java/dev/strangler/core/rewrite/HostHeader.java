package dev.strangler.core.rewrite;

/** Which {@code Host} a service receives. The monolith always gets the client's, as it did before Strangler. */
public enum HostHeader {
    /** The client's {@code Host}: the default, for services that serve the same virtual host. */
    KEEP,
    /** The host and port of the service's URL, for services behind their own virtual host or ingress. */
    SERVICE;

    /** The word the config file uses: {@code keep} or {@code service}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The choice the config file's word names (exact case), if any. */
    public static java.util.Optional<HostHeader> fromConfigName(String word) {
        return java.util.Arrays.stream(values()).filter(h -> h.configName().equals(word)).findFirst();
    }
}
