package dev.pedidos.orders.journey;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.orders.journey.JourneyStep.Stage;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journey view in PostgreSQL (tables {@code journey_order} and {@code journey_step}, see
 * {@code V1__journey.sql}): written by {@link JourneyProjector}, one transaction per poll, read by
 * {@link JourneyController} and the SSE stream ({@link #stepsAfter}).
 *
 * <p>Every method may throw Spring's {@code DataAccessException} (e.g.
 * {@code CannotGetJdbcConnectionException} while PostgreSQL is unavailable) and Flyway's
 * {@code FlywayException} (the schema could not be migrated yet).
 */
@Repository
class JourneyView {

    /**
     * Transaction-scoped advisory lock that every write transaction takes first: the projector's
     * consumers write one at a time, so steps become visible in the order of their {@code id} (a
     * reader of {@link #stepsAfter} never sees a higher ID commit before a lower one, which it would
     * skip for good), and two transactions never wait on each other's rows. Its key is arbitrary,
     * unique in this database.
     */
    private static final long WRITE_LOCK = 0x6A6F75726E6579L; // "journey"

    private static final String INSERT_ORDERS = """
            insert into journey_order (order_id, customer_id, customer_name, customer_email, items, currency,
                                       total_amount, accepted_at, trace_id)
            values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
            on conflict (order_id) do update set
                customer_id = excluded.customer_id, customer_name = excluded.customer_name,
                customer_email = excluded.customer_email, items = excluded.items, currency = excluded.currency,
                total_amount = excluded.total_amount, accepted_at = excluded.accepted_at, trace_id = excluded.trace_id
            where journey_order.accepted_at is null
            """;

    private static final String INSERT_STUB_ORDERS = """
            insert into journey_order (order_id) select unnest(?::uuid[]) on conflict (order_id) do nothing
            """;

    // One statement for a whole poll; the rows in array order, so the IDs follow the records' order.
    private static final String INSERT_STEPS = """
            insert into journey_step (order_id, stage, dedupe_key, at, service, group_id, topic, "partition", "offset",
                                      trace_id, detail)
            select o, s, k, a, sv, g, t, p, f, tr, d::jsonb
            from unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::int[],
                        ?::bigint[], ?::text[], ?::text[]) with ordinality as x(o, s, k, a, sv, g, t, p, f, tr, d, n)
            order by n
            on conflict (order_id, dedupe_key) do nothing
            returning id, order_id, dedupe_key
            """;

    private static final String STEP_COLUMNS = """
            id, order_id, stage, at, service, group_id, topic, "partition", "offset", trace_id, detail::text
            """;

    private static final String ORDER_COLUMNS = """
            order_id, seq, status, dead_lettered_by, customer_id, customer_name, customer_email, items::text, currency,
            total_amount, accepted_at, trace_id
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final JourneySchema schema;
    private final JsonMapper json;
    private final ObjectReader detailReader;

    JourneyView(JdbcTemplate jdbc, TransactionTemplate transaction, JourneySchema schema, JsonMapper json) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.schema = schema;
        this.json = json;
        // Amounts stay exact decimals, never doubles.
        this.detailReader = json.readerFor(new TypeReference<Map<String, Object>>() {
        }).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /**
     * An order as the view holds it.
     *
     * @param orderId        the order
     * @param seq            position in the view, for newest-first paging
     * @param status         see {@link JourneyStatus}
     * @param deadLetteredBy see {@link JourneyStatus}
     * @param customer       {@code null} until its {@code OrderCreated} arrived (a status step may
     *                       overtake it); likewise {@code items}, {@code currency},
     *                       {@code totalAmount}, {@code acceptedAt}, {@code traceId}
     * @param items          the order lines
     * @param currency       ISO 4217 code
     * @param totalAmount    exact total
     * @param acceptedAt     the event's {@code occurredAt}
     * @param traceId        trace ID of the {@code OrderCreated} record
     */
    record StoredOrder(UUID orderId, long seq, String status, List<String> deadLetteredBy, Customer customer,
            List<OrderItem> items, String currency, BigDecimal totalAmount, Instant acceptedAt, String traceId) {
    }

    /**
     * Records accepted orders and their {@code ACCEPTED} steps in one transaction; a second
     * {@code OrderCreated} of an order (redelivery, duplicate {@code POST}) changes nothing.
     *
     * @param accepted each order with its {@code ACCEPTED} step, in record order
     * @return the steps that were new
     */
    List<JourneyStep> recordAccepted(List<Accepted> accepted) {
        schema.ensureMigrated();
        Map<UUID, Accepted> firstOfEach = new LinkedHashMap<>();
        accepted.forEach(order -> firstOfEach.putIfAbsent(order.event().orderId(), order));
        return transaction.execute(status -> {
            lockWrites();
            jdbc.batchUpdate(INSERT_ORDERS, List.copyOf(firstOfEach.values()), 256, (statement, order) -> {
                OrderCreated event = order.event();
                statement.setObject(1, event.orderId());
                statement.setString(2, event.customer() == null ? null : event.customer().id());
                statement.setString(3, event.customer() == null ? null : event.customer().name());
                statement.setString(4, event.customer() == null ? null : event.customer().email());
                statement.setString(5, json.writeValueAsString(event.items()));
                statement.setString(6, event.currency());
                statement.setBigDecimal(7, event.totalAmount());
                statement.setObject(8, utc(event.occurredAt()));
                statement.setString(9, order.step().traceId());
            });
            return insertSteps(accepted.stream().map(Accepted::step).toList());
        });
    }

    /**
     * Records the steps of the consumer groups in one transaction, and the new status of each
     * order they touched. A step the view already has changes nothing.
     *
     * @param steps in record order
     * @return the steps that were new
     */
    List<JourneyStep> recordSteps(List<JourneyStep> steps) {
        schema.ensureMigrated();
        return transaction.execute(status -> {
            lockWrites();
            Set<UUID> orders = steps.stream().map(JourneyStep::orderId).collect(Collectors.toCollection(LinkedHashSet::new));
            jdbc.update(connection -> {
                PreparedStatement insert = connection.prepareStatement(INSERT_STUB_ORDERS);
                insert.setArray(1, connection.createArrayOf("uuid", orders.toArray()));
                return insert;
            });
            List<JourneyStep> inserted = insertSteps(steps);
            Set<UUID> changed = inserted.stream().map(JourneyStep::orderId).collect(Collectors.toSet());
            if (!changed.isEmpty()) {
                updateStatus(changed);
            }
            return inserted;
        });
    }

    private void updateStatus(Collection<UUID> orderIds) {
        Map<UUID, List<JourneyStep>> stepsByOrder = new LinkedHashMap<>();
        jdbc.query(connection -> {
            PreparedStatement select = connection.prepareStatement("select " + STEP_COLUMNS
                    + " from journey_step where order_id = any(?) and stage <> 'ACCEPTED'");
            select.setArray(1, connection.createArrayOf("uuid", orderIds.toArray()));
            return select;
        }, (RowCallbackHandler) row -> {
            JourneyStep step = stepMapper().mapRow(row, 0);
            stepsByOrder.computeIfAbsent(step.orderId(), id -> new ArrayList<>()).add(step);
        });
        List<Map.Entry<UUID, JourneyStatus>> statuses = stepsByOrder.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), JourneyStatus.of(entry.getValue())))
                .toList();
        jdbc.batchUpdate("update journey_order set status = ?, dead_lettered_by = ? where order_id = ?", statuses, 256,
                (statement, entry) -> {
                    statement.setString(1, entry.getValue().status());
                    statement.setArray(2, statement.getConnection().createArrayOf("text",
                            entry.getValue().deadLetteredBy().toArray()));
                    statement.setObject(3, entry.getKey());
                });
    }

    private void lockWrites() {
        jdbc.execute("select pg_advisory_xact_lock(" + WRITE_LOCK + ")", (PreparedStatement lock) -> lock.execute());
    }

    private List<JourneyStep> insertSteps(List<JourneyStep> steps) {
        int n = steps.size();
        Object[] orderIds = new Object[n];
        String[] stages = new String[n];
        String[] keys = new String[n];
        String[] ats = new String[n];
        String[] services = new String[n];
        String[] groups = new String[n];
        String[] topics = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        String[] traceIds = new String[n];
        String[] details = new String[n];
        for (int i = 0; i < n; i++) {
            JourneyStep step = steps.get(i);
            orderIds[i] = step.orderId();
            stages[i] = step.stage().name();
            keys[i] = step.dedupeKey();
            ats[i] = step.at().toString();
            services[i] = step.service();
            groups[i] = step.group();
            topics[i] = step.topic();
            partitions[i] = step.partition();
            offsets[i] = step.offset();
            traceIds[i] = step.traceId();
            details[i] = json.writeValueAsString(step.detail());
        }
        Map<String, Long> insertedIds = new LinkedHashMap<>();
        jdbc.query(connection -> {
            PreparedStatement insert = connection.prepareStatement(INSERT_STEPS);
            insert.setArray(1, connection.createArrayOf("uuid", orderIds));
            insert.setArray(2, connection.createArrayOf("text", stages));
            insert.setArray(3, connection.createArrayOf("text", keys));
            insert.setArray(4, connection.createArrayOf("text", ats));
            insert.setArray(5, connection.createArrayOf("text", services));
            insert.setArray(6, connection.createArrayOf("text", groups));
            insert.setArray(7, connection.createArrayOf("text", topics));
            insert.setArray(8, connection.createArrayOf("int4", partitions));
            insert.setArray(9, connection.createArrayOf("int8", offsets));
            insert.setArray(10, connection.createArrayOf("text", traceIds));
            insert.setArray(11, connection.createArrayOf("text", details));
            return insert;
        }, (RowCallbackHandler) row -> insertedIds.put(row.getObject(2, UUID.class) + " " + row.getString(3),
                row.getLong(1)));
        List<JourneyStep> inserted = new ArrayList<>(insertedIds.size());
        for (JourneyStep step : steps) {
            Long id = insertedIds.remove(step.orderId() + " " + step.dedupeKey());
            if (id != null) {
                inserted.add(new JourneyStep(id, step.orderId(), step.stage(), step.at(), step.service(), step.group(),
                        step.topic(), step.partition(), step.offset(), step.traceId(), step.detail()));
            }
        }
        return inserted;
    }

    /**
     * @param orderId an order
     * @return the order, if the view has any event of it
     */
    Optional<StoredOrder> find(UUID orderId) {
        schema.ensureMigrated();
        return jdbc.query("select " + ORDER_COLUMNS + " from journey_order where order_id = ?", orderMapper(), orderId)
                .stream().findFirst();
    }

    /**
     * @param orderId an order
     * @return its steps in time order (ties: in the order the view recorded them)
     */
    List<JourneyStep> steps(UUID orderId) {
        schema.ensureMigrated();
        return jdbc.query("select " + STEP_COLUMNS + " from journey_step where order_id = ? order by at, id",
                stepMapper(), orderId);
    }

    /**
     * Orders newest first (by when the view first heard of them), only those whose
     * {@code OrderCreated} it has.
     *
     * @param status    only orders with this status; {@code null} for all
     * @param limit     at most this many
     * @param beforeSeq only orders before this position ({@link StoredOrder#seq()}); {@code Long.MAX_VALUE} for the first page
     * @return up to {@code limit} orders
     */
    List<StoredOrder> newestFirst(String status, int limit, long beforeSeq) {
        schema.ensureMigrated();
        return jdbc.query("select " + ORDER_COLUMNS + """
                 from journey_order
                where accepted_at is not null and seq < ? and (?::text is null or status = ?)
                order by seq desc limit ?
                """, orderMapper(), beforeSeq, status, status, limit);
    }

    /**
     * The steps recorded after a position, in position order: what an SSE stream resumes from
     * ({@code Last-Event-ID}). Steps become visible in position order (see {@link #WRITE_LOCK}),
     * so a reader that continues after the last ID it saw misses none.
     *
     * @param afterId the last position seen; {@code 0} for all
     * @param orderId only this order's steps; {@code null} for every order's
     * @param limit   at most this many
     * @return up to {@code limit} steps with {@code id > afterId}, ascending by ID
     */
    List<JourneyStep> stepsAfter(long afterId, UUID orderId, int limit) {
        schema.ensureMigrated();
        return jdbc.query("select " + STEP_COLUMNS + """
                 from journey_step where id > ? and (?::uuid is null or order_id = ?) order by id limit ?
                """, stepMapper(), afterId, orderId, orderId, limit);
    }

    /**
     * An accepted order for {@link #recordAccepted}.
     *
     * @param event the {@code OrderCreated}
     * @param step  its {@code ACCEPTED} step
     */
    record Accepted(OrderCreated event, JourneyStep step) {
    }

    private RowMapper<JourneyStep> stepMapper() {
        return (row, rowNumber) -> new JourneyStep(row.getLong(1), row.getObject(2, UUID.class),
                Stage.valueOf(row.getString(3)), instant(row, 4), row.getString(5), row.getString(6),
                row.getString(7), row.getInt(8), row.getLong(9), row.getString(10), detailReader.readValue(row.getString(11)));
    }

    private RowMapper<StoredOrder> orderMapper() {
        return (row, rowNumber) -> {
            String name = row.getString(6);
            Customer customer = name == null ? null : new Customer(row.getString(5), name, row.getString(7));
            String items = row.getString(8);
            return new StoredOrder(row.getObject(1, UUID.class), row.getLong(2), row.getString(3), textList(row.getArray(4)),
                    customer, items == null ? null : json.readValue(items, new TypeReference<List<OrderItem>>() {
                    }), row.getString(9), row.getBigDecimal(10), instant(row, 11), row.getString(12));
        };
    }

    private static List<String> textList(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
