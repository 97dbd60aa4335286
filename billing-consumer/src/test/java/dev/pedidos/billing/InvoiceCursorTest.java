package dev.pedidos.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvoiceCursorTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 1_000_000_007L, Long.MAX_VALUE})
    void decodesWhatItEncoded(long id) {
        // when
        String cursor = InvoiceCursor.encode(id);

        // then
        assertThat(cursor).hasSize(11).matches("[A-Za-z0-9_-]+");
        assertThat(InvoiceCursor.decode(cursor)).isEqualTo(id);
    }

    @Test
    void isUrlSafeBase64OfTheIdBigEndian() {
        assertThat(InvoiceCursor.encode(42)).isEqualTo("AAAAAAAAACo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "42", "AAAAAAAAACo=", "AAAAAAAAAC!", "AAAAAAAAAAA", "_________w8", "AAAAAAAAACp"})
    void rejectsWhatItDidNotEncode(String cursor) {
        // "AAAAAAAAAAA" is 0, "_________w8" is negative, "AAAAAAAAACp" has stray bits (non-canonical)
        assertThatIllegalArgumentException().isThrownBy(() -> InvoiceCursor.decode(cursor));
    }
}
