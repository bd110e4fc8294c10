package dev.strangler.core.routing;

import java.util.Optional;

/**
 * The parts of a request that routing and stage decisions read. The gateway implements it over
 * its HTTP request without copying; tests implement it as a record.
 */
public interface RequestFacts {
    /** Upper-case method. */
    String method();

    /**
     * Path without query in its normal form ({@link dev.strangler.core.http.RequestTarget}): what
     * routes match and the backend receives. The gateway refuses requests whose path has none.
     */
    String path();

    /** Lower-case host from {@code Host} or {@code :authority}, without port; empty string when absent. */
    String hostWithoutPort();

    /**
     * A header's first value; the name is lower-case. {@code connection}, a list whose lines are one
     * list (RFC 9110 §5.3), gives every line's elements, so an upgrade named on a later line is seen.
     */
    Optional<String> header(String lowerCaseName);

    /** The client's address as the gateway saw it. */
    String clientAddress();

    /** A request built from values, for tests and tools. */
    record Of(String method, String path, String hostWithoutPort, java.util.Map<String, String> headers, String clientAddress)
            implements RequestFacts {
        public static Of get(String path) {
            return new Of("GET", path, "", java.util.Map.of(), "127.0.0.1");
        }

        public Of withMethod(String m) {
            return new Of(m, path, hostWithoutPort, headers, clientAddress);
        }

        public Of withHost(String h) {
            return new Of(method, path, h, headers, clientAddress);
        }

        public Of withHeader(String name, String value) {
            java.util.Map<String, String> h = new java.util.HashMap<>(headers);
            h.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return new Of(method, path, hostWithoutPort, h, clientAddress);
        }

        public Of withClientAddress(String address) {
            return new Of(method, path, hostWithoutPort, headers, address);
        }

        @Override
        public Optional<String> header(String lowerCaseName) {
            return Optional.ofNullable(headers.get(lowerCaseName));
        }
    }
}
