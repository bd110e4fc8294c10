package dev.strangler.core.diff;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compares the monolith's response with the service's for one route, as the shadow stage does.
 * Build one per route configuration and reuse it: the globs are compiled once, and {@link #diff} is
 * thread-safe and allocation-light.
 *
 * <p>Order of the result: {@code status}, then each compared header, then the body. A body is
 * compared structurally when both sides are JSON (declared {@code application/json} or
 * {@code +json}, or undeclared and parsing as JSON) and no larger than
 * {@link DiffOptions#maxBodyBytes()}; otherwise as text when the content type is textual, else as
 * bytes, reporting one {@link DiffKind#BODY} difference at the first differing character or byte.
 * Identical body bytes are never parsed.
 *
 * <p>Diffing is on the request path's side: it never throws for anything a backend sent (malformed
 * JSON is compared as text, too deep JSON too); only null arguments are rejected.
 */
public final class ResponseDiffer {
    private static final ObjectReader JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();
    /** At most this many paths are recorded by {@link #diffRecordingPresence}. */
    public static final int MAX_PRESENT_PATHS = 1024;

    private final DiffOptions options;
    private final PathGlobs ignored;
    private final PathGlobs unordered;

    public ResponseDiffer(DiffOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.ignored = PathGlobs.compile(options.ignorePaths());
        this.unordered = PathGlobs.compile(options.unorderedArrayPaths());
    }

    public DiffOptions options() {
        return options;
    }

    /** Compares two responses: status, the compared headers, then the body. */
    public DiffResult diff(CapturedResponse monolith, CapturedResponse service) {
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
        return diff(monolith, service, null);
    }

    /**
     * Compares like {@link #diff} and also records the paths both responses had
     * ({@link DiffResult#presentPaths()}): what the noise filter needs from a pair of the monolith's
     * own answers. Costs a walk of both bodies (and a parse even when they are identical), so it is
     * meant for those pairs, not for every comparison.
     */
    public DiffResult diffRecordingPresence(CapturedResponse first, CapturedResponse second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Set<String> present = new LinkedHashSet<>();
        DiffResult result = diff(first, second, present);
        return result.withPresentPaths(present);
    }

    private DiffResult diff(CapturedResponse monolith, CapturedResponse service, Set<String> present) {
        DifferenceList out = new DifferenceList(options);
        if (present != null)
            present.add("status");
        if (monolith.status() != service.status())
            out.add("status", DiffKind.STATUS, Integer.toString(monolith.status()), Integer.toString(service.status()));
        for (String name : options.comparedHeaders()) {
            List<String> m = headerValues(monolith, name);
            List<String> s = headerValues(service, name);
            if (present != null && !m.isEmpty() && !s.isEmpty())
                present.add("header:" + name);
            if (!m.equals(s))
                out.add("header:" + name, DiffKind.HEADER, joined(m), joined(s));
        }
        compareBodies(monolith, service, out, present);
        return out.result();
    }

    /** Compares two JSON trees already parsed, with this differ's ignore paths, tolerance and array rules. */
    public DiffResult diffJson(JsonNode monolith, JsonNode service) {
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
        DifferenceList out = new DifferenceList(options);
        new JsonComparison(options, ignored, unordered, out).compareRoots(monolith, service);
        return out.result();
    }

    private static List<String> headerValues(CapturedResponse response, String name) {
        List<String> values = response.headerValues(name);
        if (!name.equalsIgnoreCase("Content-Type") || values.isEmpty())
            return values;
        // One Content-Type line is the rule: no stream for it.
        if (values.size() == 1) return List.of(BodyType.mediaTypeOf(values.getFirst()));
        return values.stream().map(BodyType::mediaTypeOf).toList();
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private void compareBodies(CapturedResponse monolith, CapturedResponse service, DifferenceList out, Set<String> present) {
        byte[] m = monolith.body();
        byte[] s = service.body();
        BodyType mType = BodyType.of(monolith.contentType());
        BodyType sType = BodyType.of(service.contentType());
        boolean small = m.length <= options.maxBodyBytes() && s.length <= options.maxBodyBytes();
        boolean mayBeJson = small && mType.mayBeJson() && sType.mayBeJson();
        if (Arrays.equals(m, s)) {
            if (present != null && m.length > 0) {
                JsonNode tree = mayBeJson ? parse(m) : null;
                if (tree != null)
                    PresentPaths.addCommon(tree, tree, present, MAX_PRESENT_PATHS);
                else
                    present.add("body");
            }
            return;
        }
        if (mayBeJson) {
            JsonNode mTree = parse(m);
            JsonNode sTree = mTree == null ? null : parse(s);
            if (sTree != null) {
                new JsonComparison(options, ignored, unordered, out).compareRoots(mTree, sTree);
                if (present != null)
                    PresentPaths.addCommon(mTree, sTree, present, MAX_PRESENT_PATHS);
                return;
            }
        }
        if (present != null && m.length > 0 && s.length > 0)
            present.add("body");
        if (mType.isText() || (!mType.declared() && sType.isText()))
            compareText(mType, sType, m, s, out);
        else
            compareBytes(m, s, out);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0)
            return null;
        try {
            JsonNode tree = JSON.readTree(body);
            return tree == null || tree.isMissingNode() ? null : tree;
        } catch (Exception notJson) {
            return null;
        }
    }

    private void compareText(BodyType mType, BodyType sType, byte[] m, byte[] s, DifferenceList out) {
        BodyType fallback = mType.declared() ? mType : sType;
        String mText = new String(m, (mType.declared() ? mType : fallback).charsetOrUtf8());
        String sText = new String(s, (sType.declared() ? sType : fallback).charsetOrUtf8());
        int common = Math.min(mText.length(), sText.length());
        int at = 0;
        while (at < common && mText.charAt(at) == sText.charAt(at))
            at++;
        if (at == common && mText.length() == sText.length())
            return;
        int end = options.maxValueLength() + 1;
        out.add("body@" + at, DiffKind.BODY, excerpt(mText, at, end), excerpt(sText, at, end));
    }

    private static String excerpt(String text, int from, int length) {
        return text.substring(from, Math.min(text.length(), from + length));
    }

    private void compareBytes(byte[] m, byte[] s, DifferenceList out) {
        int at = Arrays.mismatch(m, s);
        int bytes = options.maxValueLength() / 2 + 1;
        HexFormat hex = HexFormat.of();
        out.add("body@" + at, DiffKind.BODY,
                hex.formatHex(m, at, Math.min(m.length, at + bytes)),
                hex.formatHex(s, at, Math.min(s.length, at + bytes)));
    }

    @Override
    public String toString() {
        return "ResponseDiffer" + options;
    }
}
