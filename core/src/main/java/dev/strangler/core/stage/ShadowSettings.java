package dev.strangler.core.stage;

import dev.strangler.core.diff.ArrayRule;
import dev.strangler.core.diff.DiffOptions;

import java.util.List;

/**
 * How a route in the {@code shadow} stage copies requests to its service.
 *
 * @param writes          whether methods other than GET/HEAD/OPTIONS are copied too; off by default
 *                        because a copied write runs twice (the copy carries {@code X-Strangler-Shadow: true}
 *                        so a service can skip side effects)
 * @param maxBodyBytes    request and response bodies are kept up to this size for the copy and the
 *                        comparison; a larger one is not compared (counted, never failed)
 * @param maxConcurrent   copies in flight per event loop; beyond it a copy is dropped (counted) so a
 *                        slow service can never hold resources the user's requests need
 * @param ignorePaths     JSON paths whose differences are expected (e.g. {@code $..updatedAt})
 * @param noiseCheck      also send a second copy to the monolith: paths that differ between two
 *                        answers of the monolith itself are noise, not service bugs (the Diffy method);
 *                        doubles the monolith's load for the route, so off by default
 * @param inCanary        keep comparing during {@code canary}: requests the monolith answers are copied
 *                        to the service as in {@code shadow}, so the diff report goes on while users move
 * @param redact          more names (parameters, headers, JSON fields or {@code $.} paths) to redact from
 *                        the kept samples, beyond the credential headers and usual secret names
 * @param arrays          how JSON arrays are compared: {@code ordered} (the default; aligned, so one
 *                        inserted element is one {@code EXTRA}), {@code unordered}, or
 *                        {@code keyed-by: FIELD} (elements paired by a member such as {@code id})
 */
public record ShadowSettings(boolean writes, int maxBodyBytes, int maxConcurrent, List<String> ignorePaths,
                             boolean noiseCheck, boolean inCanary, List<String> redact, ArrayRule arrays) {
    public static final ShadowSettings DEFAULT = new ShadowSettings(false, 256 * 1024, 64, List.of(), false, false,
            List.of(), ArrayRule.ORDERED);

    public ShadowSettings(boolean writes, int maxBodyBytes, int maxConcurrent, List<String> ignorePaths,
                          boolean noiseCheck, boolean inCanary, List<String> redact) {
        this(writes, maxBodyBytes, maxConcurrent, ignorePaths, noiseCheck, inCanary, redact, ArrayRule.ORDERED);
    }

    public ShadowSettings(boolean writes, int maxBodyBytes, int maxConcurrent, List<String> ignorePaths) {
        this(writes, maxBodyBytes, maxConcurrent, ignorePaths, false, false, List.of());
    }

    public ShadowSettings(boolean writes, int maxBodyBytes, int maxConcurrent, List<String> ignorePaths,
                          boolean noiseCheck, boolean inCanary) {
        this(writes, maxBodyBytes, maxConcurrent, ignorePaths, noiseCheck, inCanary, List.of());
    }

    public ShadowSettings {
        if (maxBodyBytes <= 0) throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: > 0)");
        if (maxConcurrent <= 0) throw new IllegalArgumentException("maxConcurrent: " + maxConcurrent + " (expected: > 0)");
        ignorePaths = List.copyOf(ignorePaths);
        redact = List.copyOf(redact);
        java.util.Objects.requireNonNull(arrays, "arrays");
    }

    /** How the route's responses are compared: these ignore paths, body bound and array rule. */
    public DiffOptions diffOptions() {
        return arrays.applyTo(DiffOptions.DEFAULTS.withIgnorePaths(ignorePaths).withMaxBodyBytes(maxBodyBytes));
    }

    /** Whether a request with this method is copied at all. */
    public boolean copies(String method) {
        return writes || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
