package dev.pedidos.groups.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Which dead letters get a DEAD_LETTERED step: those whose key is an order ID. */
class DeadLetterStepRecovererTest {

    private static final UUID ORDER_ID = UUID.fromString("0b6a3a4e-7f1c-4c55-9d7e-2a3b4c5d6e7f");

    @Test
    void keyInTheCanonicalFormOfAUuidIsAnOrderId() {
        assertThat(DeadLetterStepRecoverer.orderId(ORDER_ID.toString())).isEqualTo(ORDER_ID);
        assertThat(DeadLetterStepRecoverer.orderId(ORDER_ID.toString().toUpperCase())).isEqualTo(ORDER_ID);
        assertThat(DeadLetterStepRecoverer.orderId(ORDER_ID.toString().getBytes(UTF_8))).isEqualTo(ORDER_ID);
    }

    @Test
    void otherKeysAreNot() {
        assertThat(DeadLetterStepRecoverer.orderId(null)).isNull();
        assertThat(DeadLetterStepRecoverer.orderId("not-an-order")).isNull();
        // UUID.fromString accepts these short groups; an order ID never has them
        assertThat(DeadLetterStepRecoverer.orderId("1-1-1-1-1")).isNull();
        assertThat(DeadLetterStepRecoverer.orderId(ORDER_ID.toString().replace('-', '_'))).isNull();
        assertThat(DeadLetterStepRecoverer.orderId(42)).isNull();
    }
}
