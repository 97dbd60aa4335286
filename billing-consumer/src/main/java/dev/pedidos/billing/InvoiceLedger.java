package dev.pedidos.billing;

/**
 * Where issued invoices are kept: the side effect of billing, behind an interface so that the
 * listener's logic is tested alone.
 */
interface InvoiceLedger {

    /**
     * Records the invoice of an order unless that order ID already has one (exactly one invoice per
     * order ID, however often its event is delivered).
     *
     * @param invoice   the invoice to keep
     * @param partition partition of the record it was issued from
     * @param offset    offset of that record
     * @return {@code true} if this call recorded the invoice, {@code false} if the order already had
     *         one (a redelivered or republished event)
     */
    boolean record(Invoice invoice, int partition, long offset);
}
