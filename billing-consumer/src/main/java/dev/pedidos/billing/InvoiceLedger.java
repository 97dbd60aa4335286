package dev.pedidos.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where issued invoices are kept: the side effect of billing, behind an interface so that the
 * listener's logic is tested alone. The implementation is {@link JdbcInvoiceLedger} (PostgreSQL,
 * {@code UNIQUE (order_id)}).
 */
interface InvoiceLedger {

    /**
     * Records the invoices of one poll in one database transaction: an order ID that has no invoice
     * yet gets this one, an order ID that has one keeps it (exactly one invoice per order ID, however
     * often its event is delivered or published). Returns only after the transaction committed, so
     * that the caller may then let the Kafka offsets be committed.
     *
     * @param entries invoices in record order; the same order ID may occur more than once, the first
     *                occurrence wins
     * @return one result per entry, in the same order
     * @throws org.springframework.dao.DataAccessException or
     *         {@link org.springframework.transaction.TransactionException} when the database is
     *         unavailable or refuses a row; nothing of the call is then recorded
     */
    List<Recorded> record(List<Entry> entries);

    /**
     * @param orderId an order ID
     * @return its invoice, if the ledger has one
     */
    Optional<Stored> find(UUID orderId);

    /**
     * Invoices newest first (in the order the ledger recorded them), for keyset paging.
     *
     * @param limit  at most this many, at least 1
     * @param before only invoices recorded before the one with this {@link Stored#id()};
     *               {@link Long#MAX_VALUE} for the newest
     * @return up to {@code limit} invoices, descending {@link Stored#id()}
     */
    List<Stored> newestFirst(int limit, long before);

    /**
     * An invoice to record and the Kafka record it was issued from.
     *
     * @param invoice   from {@link Invoices#issue}
     * @param partition partition of the record in the source topic
     * @param offset    offset of the record
     */
    record Entry(Invoice invoice, int partition, long offset) {
    }

    /** What recording an {@link Entry} did. */
    enum Outcome {

        /** The order had no invoice: this one was recorded. */
        INVOICED,

        /** The order already had an invoice of the same content ({@link Invoices#fingerprint}): kept. */
        DUPLICATE,

        /** The order already had an invoice of a different content: the first one is kept. */
        CONFLICT
    }

    /**
     * The result of one {@link Entry}.
     *
     * @param outcome   what happened
     * @param number    number of the invoice the ledger holds for the order
     * @param partition source partition of the invoice the ledger holds (this entry's when
     *                  {@link Outcome#INVOICED})
     * @param offset    source offset of that invoice
     */
    record Recorded(Outcome outcome, String number, int partition, long offset) {
    }

    /**
     * An invoice as the ledger holds it.
     *
     * @param id         position in the ledger, ascending in recording order (an identity column);
     *                   internal, exposed to clients only inside an opaque cursor
     * @param invoice    the invoice
     * @param partition  partition of the record it was issued from
     * @param offset     offset of that record
     * @param recordedAt when the ledger recorded it (database clock, start of its transaction)
     */
    record Stored(long id, Invoice invoice, int partition, long offset, Instant recordedAt) {
    }
}
