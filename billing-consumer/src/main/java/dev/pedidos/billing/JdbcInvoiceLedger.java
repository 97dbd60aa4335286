package dev.pedidos.billing;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.pedidos.events.Customer;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invoice ledger in billing's own PostgreSQL database (table {@code invoice}, created by Flyway
 * from {@code db/migration}).
 *
 * <p>{@link #record} writes a poll's invoices with one JDBC batch of
 * {@code INSERT ... ON CONFLICT (order_id) DO NOTHING} (rewritten by the driver into multi-row
 * inserts, {@code reWriteBatchedInserts=true}) and reads back, in the same transaction, the row each
 * order ID now has, to tell an invoice it just recorded from a duplicate or a conflict.
 */
@Repository
class JdbcInvoiceLedger implements InvoiceLedger {

    private static final String INSERT = """
            insert into invoice (number, order_id, customer_id, customer_name, customer_email, lines, total, currency,
                                 issued_at, fingerprint, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)
            on conflict (order_id) do nothing""";

    /*
     * xmin is the transaction that inserted a row: equal to this transaction's ID exactly for the rows
     * the insert above just wrote. A row an earlier transaction (or a concurrent consumer that won the
     * race for the same order ID) wrote has another xmin; so this tells "recorded now" from "already
     * there" without a second round trip before the insert. The update counts of a rewritten batch
     * cannot: the driver reports SUCCESS_NO_INFO for each row.
     */
    private static final String HELD = """
            select order_id, number, fingerprint, source_partition, source_offset,
                   xmin = pg_current_xact_id()::xid as recorded_now
            from invoice where order_id = any(?)""";

    private static final String COLUMNS = """
            select id, number, order_id, customer_id, customer_name, customer_email, lines, total, currency, issued_at,
                   source_partition, source_offset, recorded_at
            from invoice""";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final ObjectReader linesReader;

    JdbcInvoiceLedger(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.linesReader = json.readerForListOf(Invoice.Line.class);
    }

    @Override
    @Transactional
    public List<Recorded> record(List<Entry> entries) {
        // The first entry of each order ID is written; later ones of the same poll are compared with it.
        Map<UUID, Entry> first = new LinkedHashMap<>();
        entries.forEach(entry -> first.putIfAbsent(entry.invoice().orderId(), entry));
        List<Entry> written = List.copyOf(first.values());
        jdbc.batchUpdate(INSERT, written, written.size(), this::bind);

        Map<UUID, Held> held = held(first.keySet().toArray(UUID[]::new));
        List<Recorded> results = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            UUID orderId = entry.invoice().orderId();
            Held row = held.get(orderId);
            if (row == null) {
                throw new IllegalStateException("Order " + orderId + " has no invoice after it was inserted");
            }
            boolean mine = row.recordedNow() && first.get(orderId) == entry;
            Outcome outcome = mine ? Outcome.INVOICED
                    : row.fingerprint().equals(Invoices.fingerprint(entry.invoice())) ? Outcome.DUPLICATE
                    : Outcome.CONFLICT;
            results.add(new Recorded(outcome, row.number(), row.partition(), row.offset()));
        }
        return results;
    }

    @Override
    public Optional<Stored> find(UUID orderId) {
        return jdbc.query(COLUMNS + " where order_id = ?", this::stored, orderId).stream().findFirst();
    }

    @Override
    public List<Stored> newestFirst(int limit, long before) {
        return jdbc.query(COLUMNS + " where id < ? order by id desc limit ?", this::stored, before, limit);
    }

    private void bind(PreparedStatement insert, Entry entry) throws SQLException {
        Invoice invoice = entry.invoice();
        insert.setString(1, invoice.number());
        insert.setObject(2, invoice.orderId());
        insert.setString(3, invoice.customer().id());
        insert.setString(4, invoice.customer().name());
        insert.setString(5, invoice.customer().email());
        insert.setString(6, json.writeValueAsString(invoice.lines()));
        insert.setBigDecimal(7, invoice.total());
        insert.setString(8, invoice.currency());
        insert.setObject(9, OffsetDateTime.ofInstant(invoice.issuedAt(), ZoneOffset.UTC));
        insert.setString(10, Invoices.fingerprint(invoice));
        insert.setInt(11, entry.partition());
        insert.setLong(12, entry.offset());
    }

    private Map<UUID, Held> held(UUID[] orderIds) {
        return jdbc.query(connection -> {
            PreparedStatement select = connection.prepareStatement(HELD);
            Array ids = connection.createArrayOf("uuid", orderIds);
            select.setArray(1, ids);
            return select;
        }, (ResultSet rows) -> {
            Map<UUID, Held> held = new HashMap<>();
            while (rows.next()) {
                held.put(rows.getObject("order_id", UUID.class), new Held(rows.getString("number"),
                        rows.getString("fingerprint"), rows.getInt("source_partition"), rows.getLong("source_offset"),
                        rows.getBoolean("recorded_now")));
            }
            return held;
        });
    }

    private Stored stored(ResultSet row, int rowNumber) throws SQLException {
        Invoice invoice = new Invoice(row.getString("number"), row.getObject("order_id", UUID.class),
                new Customer(row.getString("customer_id"), row.getString("customer_name"), row.getString("customer_email")),
                linesReader.readValue(row.getString("lines")), row.getBigDecimal("total"), row.getString("currency"),
                row.getObject("issued_at", OffsetDateTime.class).toInstant());
        return new Stored(row.getLong("id"), invoice, row.getInt("source_partition"), row.getLong("source_offset"),
                row.getObject("recorded_at", OffsetDateTime.class).toInstant());
    }

    /** The invoice row an order ID has, as far as {@link #record} needs it. */
    private record Held(String number, String fingerprint, int partition, long offset, boolean recordedNow) {
    }
}
