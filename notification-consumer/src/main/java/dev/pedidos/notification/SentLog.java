package dev.pedidos.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The sent log: one row per order whose confirmation the SMTP server accepted, in table
 * {@code sent_notification} of this service's own PostgreSQL database (schema:
 * {@code db/migration/V1__sent_notification.sql}, applied by Flyway at start-up).
 *
 * <p>Each method is one auto-committed statement, except {@link #recordAll}: one JDBC batch in one
 * transaction, so that a poll's confirmations cost one commit. An unreachable database surfaces as a
 * {@link org.springframework.dao.DataAccessResourceFailureException} (e.g.
 * {@code CannotGetJdbcConnectionException} after Hikari's connection timeout), other failures as
 * other {@link org.springframework.dao.DataAccessException}s.
 */
@Repository
class SentLog {

    private static final String INSERT = """
            insert into sent_notification
                (order_id, message_id, recipient, subject, sent_at, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict (order_id) do nothing
            """;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    SentLog(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * One query for a whole poll.
     *
     * @param orderIds order IDs, at most a few thousand (one bind parameter each)
     * @return those of them whose confirmation is in the log
     */
    Set<UUID> sentAmong(Collection<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("select order_id from sent_notification where order_id in (:orderIds)")
                .param("orderIds", orderIds)
                .query(UUID.class)
                .list());
    }

    /**
     * Logs confirmations in one transaction with one JDBC batch, each unless its order is already
     * logged ({@code ON CONFLICT DO NOTHING}: the first row is kept).
     *
     * @param sent confirmations the server accepted, of distinct orders
     * @return for each, in the same order, {@code true} when this call logged it, {@code false} when
     *         the order was already there
     */
    @Transactional
    List<Boolean> recordAll(List<SentNotification> sent) {
        if (sent.isEmpty()) {
            return List.of();
        }
        int[][] counts = batch.batchUpdate(INSERT, sent, sent.size(), (statement, one) -> {
            statement.setObject(1, one.orderId());
            statement.setString(2, one.messageId());
            statement.setString(3, one.recipient());
            statement.setString(4, one.subject());
            // PgJDBC binds OffsetDateTime to timestamptz; it has no mapping for Instant.
            statement.setObject(5, OffsetDateTime.ofInstant(one.sentAt(), ZoneOffset.UTC));
            statement.setInt(6, one.sourcePartition());
            statement.setLong(7, one.sourceOffset());
        });
        return Arrays.stream(counts[0]).mapToObj(count -> count == 1).toList();
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
