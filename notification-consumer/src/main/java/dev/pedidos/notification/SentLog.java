package dev.pedidos.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The sent log: one row per order whose confirmation the SMTP server accepted, in table
 * {@code sent_notification} of this service's own PostgreSQL database (schema:
 * {@code db/migration/V1__sent_notification.sql}, applied by Flyway at start-up).
 *
 * <p>Each method is one auto-committed statement. An unreachable database surfaces as a
 * {@link org.springframework.dao.DataAccessResourceFailureException} (e.g.
 * {@code CannotGetJdbcConnectionException} after Hikari's connection timeout), other failures as
 * other {@link org.springframework.dao.DataAccessException}s.
 */
@Repository
class SentLog {

    private final JdbcClient jdbc;

    SentLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param orderId an order ID
     * @return whether a confirmation of that order is in the log
     */
    boolean contains(UUID orderId) {
        return jdbc.sql("select exists (select 1 from sent_notification where order_id = :orderId)")
                .param("orderId", orderId)
                .query(Boolean.class)
                .single();
    }

    /**
     * @param orderId an order ID
     * @return the logged confirmation of that order, if any
     */
    Optional<SentNotification> find(UUID orderId) {
        return jdbc.sql("""
                select order_id, message_id, recipient, subject, sent_at, source_partition, source_offset
                from sent_notification
                where order_id = :orderId
                """)
                .param("orderId", orderId)
                .query(SentLog::sentNotification)
                .optional();
    }

    /**
     * Logs a confirmation unless its order is already logged ({@code ON CONFLICT DO NOTHING}: the
     * first row is kept).
     *
     * @param sent the confirmation the server accepted
     * @return {@code true} when this call logged it, {@code false} when the order was already there
     */
    boolean record(SentNotification sent) {
        int inserted = jdbc.sql("""
                insert into sent_notification
                    (order_id, message_id, recipient, subject, sent_at, source_partition, source_offset)
                values (:orderId, :messageId, :recipient, :subject, :sentAt, :sourcePartition, :sourceOffset)
                on conflict (order_id) do nothing
                """)
                .param("orderId", sent.orderId())
                .param("messageId", sent.messageId())
                .param("recipient", sent.recipient())
                .param("subject", sent.subject())
                // PgJDBC binds OffsetDateTime to timestamptz; it has no mapping for Instant.
                .param("sentAt", OffsetDateTime.ofInstant(sent.sentAt(), ZoneOffset.UTC))
                .param("sourcePartition", sent.sourcePartition())
                .param("sourceOffset", sent.sourceOffset())
                .update();
        return inserted == 1;
    }

    private static SentNotification sentNotification(ResultSet row, int rowNumber) throws SQLException {
        return new SentNotification(row.getObject("order_id", UUID.class), row.getString("message_id"),
                row.getString("recipient"), row.getString("subject"),
                row.getObject("sent_at", OffsetDateTime.class).toInstant(), row.getInt("source_partition"),
                row.getLong("source_offset"));
    }
}
