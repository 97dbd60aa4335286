package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.pedidos.orders.journey.JourneyStep.Stage;
import org.junit.jupiter.api.Test;

/** The status rule of {@link JourneyStatus} and the dedupe keys of {@link JourneyStep}. */
class JourneyStatusTest {

    private static final UUID ORDER = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final List<JourneyStep> steps = new ArrayList<>();

    @Test
    void acceptedUntilAGroupReports() {
        add(Stage.ACCEPTED, null, 0);

        assertThat(JourneyStatus.of(steps)).isEqualTo(new JourneyStatus("ACCEPTED", List.of()));
        assertThat(JourneyStatus.of(List.of()).status()).isEqualTo("ACCEPTED");
    }

    @Test
    void invoicedOrConfirmedThenCompletedOnceBoth() {
        add(Stage.ACCEPTED, null, 0);
        add(Stage.CONFIRMATION_SENT, "notification", 1);
        assertThat(JourneyStatus.of(steps).status()).isEqualTo("CONFIRMED");

        add(Stage.INVOICED, "billing", 2);
        assertThat(JourneyStatus.of(steps).status()).isEqualTo("COMPLETED");
    }

    @Test
    void invoicedAlone() {
        add(Stage.INVOICED, "billing", 1);

        assertThat(JourneyStatus.of(steps).status()).isEqualTo("INVOICED");
    }

    @Test
    void deadLetteredByEachGroupThatHasNotProcessedItSince() {
        add(Stage.ACCEPTED, null, 0);
        add(Stage.DEAD_LETTERED, "billing", 1);
        add(Stage.CONFIRMATION_SENT, "notification", 2);

        assertThat(JourneyStatus.of(steps)).isEqualTo(new JourneyStatus("DEAD_LETTERED", List.of("billing")));

        add(Stage.DEAD_LETTERED, "notification", 3);
        assertThat(JourneyStatus.of(steps).deadLetteredBy()).containsExactly("billing", "notification");
    }

    @Test
    void aReplayAloneKeepsTheDeadLetterAndTheGroupsSuccessClearsIt() {
        add(Stage.DEAD_LETTERED, "billing", 1);
        add(Stage.CONFIRMATION_SENT, "notification", 2);
        add(Stage.REPLAYED, "billing", 3);
        assertThat(JourneyStatus.of(steps).status()).isEqualTo("DEAD_LETTERED");

        add(Stage.INVOICED, "billing", 4);
        assertThat(JourneyStatus.of(steps)).isEqualTo(new JourneyStatus("COMPLETED", List.of()));
    }

    @Test
    void stepsAreJudgedInTimeOrderWhateverOrderTheyArriveIn() {
        add(Stage.INVOICED, "billing", 5);
        add(Stage.DEAD_LETTERED, "billing", 1);

        assertThat(JourneyStatus.of(steps).status()).isEqualTo("INVOICED");
    }

    @Test
    void dedupeKeysNameTheStepNotThePublication() {
        assertThat(step(Stage.ACCEPTED, null, 0, Map.of()).dedupeKey()).isEqualTo("ACCEPTED");
        assertThat(step(Stage.INVOICED, "billing", 0, Map.of()).dedupeKey())
                .isEqualTo(step(Stage.INVOICED, "billing", 9, Map.of()).dedupeKey()).isEqualTo("INVOICED/billing");
        Map<String, Object> deadLetter = Map.of("deadLetterTopic", "t-dlt", "deadLetterPartition", 3, "deadLetterOffset", 17L);
        assertThat(step(Stage.DEAD_LETTERED, "billing", 0, deadLetter).dedupeKey()).isEqualTo("DEAD_LETTERED/t-dlt/3/17");
        Map<String, Object> replay = Map.of("deadLetterTopic", "t-dlt", "deadLetterPartition", 3, "deadLetterOffset", 17L,
                "replayCount", 2);
        assertThat(step(Stage.REPLAYED, "billing", 0, replay).dedupeKey()).isEqualTo("REPLAYED/t-dlt/3/17/2");
    }

    private void add(Stage stage, String group, int seconds) {
        steps.add(step(stage, group, seconds, Map.of()));
    }

    private static JourneyStep step(Stage stage, String group, int seconds, Map<String, Object> detail) {
        return new JourneyStep(seconds + 1, ORDER, stage, T0.plusSeconds(seconds), "svc", group, "t", 0, seconds, null, detail);
    }
}
