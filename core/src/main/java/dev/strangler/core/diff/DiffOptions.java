package dev.strangler.core.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one route's responses are compared. Immutable; derive a changed copy with the {@code with*}
 * methods from {@link #DEFAULTS}. Invalid values (and ignore or array paths that do not parse) fail
 * fast here, at configuration time, never while diffing.
 *
 * @param comparedHeaders      header names compared, case-insensitively; {@code Content-Type} is
 *                             compared by media type without parameters, others by their value
 *                             lists. Default {@link #DEFAULT_COMPARED_HEADERS}
 * @param ignorePaths          JSON path globs whose values are not compared: {@code $.a.b},
 *                             {@code $.items[3]}, {@code $.items[*].updatedAt}, {@code $.meta.*},
 *                             {@code $..updatedAt} (any depth), {@code $['a.b']}. Default none
 * @param absoluteTolerance    numbers whose difference is at most this are equal. Default 0
 * @param relativeTolerance    numbers whose difference is at most this fraction of the larger
 *                             magnitude are equal. Default 0
 * @param unorderedArrays      whether every array is compared as a multiset. Default false
 * @param unorderedArrayPaths  path globs of arrays compared as multisets when
 *                             {@code unorderedArrays} is false. Inside an unordered array, element
 *                             positions carry no meaning, so only wildcard globs ({@code [*]},
 *                             {@code ..}) reach into it. Default none
 * @param maxBodyBytes         bodies larger than this are compared as text or bytes, never parsed.
 *                             Default {@link #DEFAULT_MAX_BODY_BYTES}
 * @param maxDifferences       at most this many differences are reported. Default
 *                             {@link #DEFAULT_MAX_DIFFERENCES}
 * @param maxValueLength       reported values are cut to this many characters. Default
 *                             {@link #DEFAULT_MAX_VALUE_LENGTH}
 * @param arrayKey             a member name that identifies the elements of an array of objects
 *                             ({@code id}): where every element on both sides is an object with a
 *                             scalar value there, unique on each side, elements are paired by that
 *                             value, whatever their positions, and an element only one side has is
 *                             {@code MISSING} or {@code EXTRA}. Other arrays follow the other rules.
 *                             Default none
 * @param alignArrays          whether ordered arrays are aligned (LCS-style) before they are compared,
 *                             so one inserted element is one {@code EXTRA}, not a difference at every
 *                             later index; false compares by position. Default true
 */
public record DiffOptions(
        List<String> comparedHeaders,
        List<String> ignorePaths,
        double absoluteTolerance,
        double relativeTolerance,
        boolean unorderedArrays,
        List<String> unorderedArrayPaths,
        int maxBodyBytes,
        int maxDifferences,
        int maxValueLength,
        Optional<String> arrayKey,
        boolean alignArrays) {

    public static final List<String> DEFAULT_COMPARED_HEADERS = List.of("Content-Type");
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_DIFFERENCES = 100;
    public static final int DEFAULT_MAX_VALUE_LENGTH = 200;

    public static final DiffOptions DEFAULTS = new DiffOptions(DEFAULT_COMPARED_HEADERS, List.of(), 0, 0, false,
            List.of(), DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DIFFERENCES, DEFAULT_MAX_VALUE_LENGTH, Optional.empty(), true);

    public DiffOptions(List<String> comparedHeaders, List<String> ignorePaths, double absoluteTolerance,
                       double relativeTolerance, boolean unorderedArrays, List<String> unorderedArrayPaths,
                       int maxBodyBytes, int maxDifferences, int maxValueLength) {
        this(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays, unorderedArrayPaths,
                maxBodyBytes, maxDifferences, maxValueLength, Optional.empty(), true);
    }

    public DiffOptions {
        comparedHeaders = List.copyOf(comparedHeaders);
        ignorePaths = List.copyOf(ignorePaths);
        unorderedArrayPaths = List.copyOf(unorderedArrayPaths);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < comparedHeaders.size(); i++)
            if (comparedHeaders.get(i).isBlank())
                problems.add("comparedHeaders[" + i + "]: blank (expected: a header name)");
        checkPaths("ignorePaths", ignorePaths, problems);
        checkPaths("unorderedArrayPaths", unorderedArrayPaths, problems);
        if (!(absoluteTolerance >= 0) || Double.isInfinite(absoluteTolerance))
            problems.add("absoluteTolerance: " + absoluteTolerance + " (expected: a finite number >= 0)");
        if (!(relativeTolerance >= 0) || Double.isInfinite(relativeTolerance))
            problems.add("relativeTolerance: " + relativeTolerance + " (expected: a finite number >= 0)");
        if (maxBodyBytes < 0)
            problems.add("maxBodyBytes: " + maxBodyBytes + " (expected: >= 0)");
        if (maxDifferences <= 0)
            problems.add("maxDifferences: " + maxDifferences + " (expected: > 0)");
        if (maxValueLength <= 0)
            problems.add("maxValueLength: " + maxValueLength + " (expected: > 0)");
        if (arrayKey == null)
            problems.add("arrayKey: null (expected: Optional.empty() or a member name)");
        else if (arrayKey.isPresent() && arrayKey.get().isBlank())
            problems.add("arrayKey: blank (expected: a member name such as id)");
        if (!problems.isEmpty())
            throw new IllegalArgumentException("invalid diff options: " + String.join("; ", problems));
    }

    private static void checkPaths(String field, List<String> globs, List<String> problems) {
        for (int i = 0; i < globs.size(); i++) {
            try {
                PathGlob.parse(globs.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(field + "[" + i + "]: " + e.getMessage());
            }
        }
    }

    public DiffOptions withComparedHeaders(String... names) {
        return new DiffOptions(List.of(names), ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withIgnorePaths(String... globs) {
        return withIgnorePaths(List.of(globs));
    }

    public DiffOptions withIgnorePaths(List<String> globs) {
        return new DiffOptions(comparedHeaders, globs, absoluteTolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withAbsoluteTolerance(double tolerance) {
        return new DiffOptions(comparedHeaders, ignorePaths, tolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withRelativeTolerance(double tolerance) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, tolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withUnorderedArrays(boolean unordered) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unordered,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withUnorderedArrayPaths(String... globs) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays,
                List.of(globs), maxBodyBytes, maxDifferences, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withMaxBodyBytes(int bytes) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, bytes, maxDifferences, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withMaxDifferences(int count) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, count, maxValueLength, arrayKey, alignArrays);
    }

    public DiffOptions withMaxValueLength(int length) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, length, arrayKey, alignArrays);
    }

    /** Arrays of objects paired by the value of this member, e.g. {@code id}. */
    public DiffOptions withArrayKey(String member) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, maxValueLength, Optional.of(member), alignArrays);
    }

    public DiffOptions withArrayAlignment(boolean align) {
        return new DiffOptions(comparedHeaders, ignorePaths, absoluteTolerance, relativeTolerance, unorderedArrays,
                unorderedArrayPaths, maxBodyBytes, maxDifferences, maxValueLength, arrayKey, align);
    }

    boolean hasTolerance() {
        return absoluteTolerance > 0 || relativeTolerance > 0;
    }
}
