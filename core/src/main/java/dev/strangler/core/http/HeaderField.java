package dev.strangler.core.http;

/** One header field line as received: the name as sent (any case) and its value without surrounding whitespace. */
public record HeaderField(String name, String value) {}
