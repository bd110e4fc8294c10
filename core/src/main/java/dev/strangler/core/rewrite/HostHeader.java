package dev.strangler.core.rewrite;

/** Which {@code Host} a service receives. The monolith always gets the client's, as it did before Strangler. */
public enum HostHeader {
    /** The client's {@code Host}: the default, for services that serve the same virtual host. */
    KEEP,
    /** The host and port of the service's URL, for services behind their own virtual host or ingress. */
    SERVICE
}
