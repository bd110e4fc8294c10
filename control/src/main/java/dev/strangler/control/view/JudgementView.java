package dev.strangler.control.view;

import java.time.Instant;
import java.util.List;

/** The controller's latest judgement of a route: its action, in words, with the evidence. */
public record JudgementView(Instant at, String action, String summary, List<String> evidence) {
    public JudgementView {
        evidence = List.copyOf(evidence);
    }
}
