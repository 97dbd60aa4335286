package dev.pedidos.orders.journey;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The opaque paging cursor of {@code GET /orders} (the same form as billing's {@code GET /invoices}):
 * the view position ({@link JourneyView.StoredOrder#seq()}) of the last order of a page, as 8 bytes big-endian in URL-safe Base64 without padding (11
 * characters, e.g. {@code AAAAAAAAACo} for 42). Clients pass it back unchanged; its form may change.
 */
final class OrderCursor {

    private static final int LENGTH = 11;

    private OrderCursor() {
    }

    /**
     * @param id a view position, at least 1
     * @return the cursor naming it
     */
    static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(Long.BYTES).putLong(id).array());
    }

    /**
     * @param cursor a cursor from {@link #encode}
     * @return the view position it names, at least 1
     * @throws IllegalArgumentException when the text is not such a cursor
     */
    static long decode(String cursor) {
        if (cursor.length() != LENGTH) {
            throw new IllegalArgumentException("cursor must be " + LENGTH + " characters");
        }
        long id = ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)).getLong();
        if (id < 1 || !encode(id).equals(cursor)) {
            throw new IllegalArgumentException("not a cursor of this service");
        }
        return id;
    }
}
