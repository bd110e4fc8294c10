package dev.strangler.control.view;

import java.util.List;

/** One pilot candidate (a group of unclaimed endpoints), its score and why. */
public record PilotView(String prefix, double score, long requests, double trafficShare, int templates,
                        String explanation, List<Factor> factors) {
    public PilotView {
        factors = List.copyOf(factors);
    }

    /** One factor of the score: its value (0..1), weight and points. */
    public record Factor(String name, double value, int weight, double points) {}
}
