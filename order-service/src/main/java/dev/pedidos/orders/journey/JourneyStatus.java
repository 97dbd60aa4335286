package dev.pedidos.orders.journey;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pedidos.orders.journey.JourneyStep.Stage;

/**
 * The status of an order, derived from its steps (the domain rule of the journey).
 *
 * <ul>
 * <li>{@code DEAD_LETTERED} while a group dead-lettered it and has not processed it since: a
 *     group's latest outcome ({@code INVOICED}, {@code CONFIRMATION_SENT} or {@code DEAD_LETTERED},
 *     by time, then by the view's position) is a dead letter. {@code REPLAYED} alone changes
 *     nothing: a replay clears billing's dead letter once billing then invoices it.</li>
 * <li>else {@code COMPLETED} once both {@code INVOICED} and {@code CONFIRMATION_SENT};</li>
 * <li>else {@code INVOICED} or {@code CONFIRMED} when one of them;</li>
 * <li>else {@code ACCEPTED}.</li>
 * </ul>
 *
 * @param status         {@code ACCEPTED}, {@code INVOICED}, {@code CONFIRMED}, {@code COMPLETED}
 *                       or {@code DEAD_LETTERED}
 * @param deadLetteredBy the groups whose dead letter is unresolved, in the order they dead-lettered it;
 *                       empty unless {@code DEAD_LETTERED}
 */
record JourneyStatus(String status, List<String> deadLetteredBy) {

    static final String ACCEPTED = "ACCEPTED";
    static final String INVOICED = "INVOICED";
    static final String CONFIRMED = "CONFIRMED";
    static final String COMPLETED = "COMPLETED";
    static final String DEAD_LETTERED = "DEAD_LETTERED";

    /** Every status, for validating {@code GET /orders?status=}. */
    static final List<String> ALL = List.of(ACCEPTED, INVOICED, CONFIRMED, COMPLETED, DEAD_LETTERED);

    /**
     * @param steps an order's steps, in any order
     * @return its status
     */
    static JourneyStatus of(List<JourneyStep> steps) {
        boolean invoiced = false;
        boolean confirmed = false;
        // group -> its latest outcome
        Map<String, Stage> latest = new LinkedHashMap<>();
        List<JourneyStep> chronological = steps.stream()
                .sorted(Comparator.comparing(JourneyStep::at).thenComparingLong(JourneyStep::id))
                .toList();
        for (JourneyStep step : chronological) {
            switch (step.stage()) {
                case INVOICED -> invoiced = true;
                case CONFIRMATION_SENT -> confirmed = true;
                default -> {
                }
            }
            if (step.group() != null && step.stage() != Stage.ACCEPTED && step.stage() != Stage.REPLAYED) {
                latest.remove(step.group());
                latest.put(step.group(), step.stage());
            }
        }
        List<String> deadLetteredBy = latest.entrySet().stream()
                .filter(entry -> entry.getValue() == Stage.DEAD_LETTERED)
                .map(Map.Entry::getKey)
                .toList();
        if (!deadLetteredBy.isEmpty()) {
            return new JourneyStatus(DEAD_LETTERED, deadLetteredBy);
        }
        String status = invoiced && confirmed ? COMPLETED : invoiced ? INVOICED : confirmed ? CONFIRMED : ACCEPTED;
        return new JourneyStatus(status, List.of());
    }
}
