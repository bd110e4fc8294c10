package dev.strangler.control.view;

import java.time.Instant;

/** Both sides over one metric window of a route (every gateway's reports of that window added), for charts. */
public record SeriesPoint(Instant start, Instant end, WindowView window) {}
