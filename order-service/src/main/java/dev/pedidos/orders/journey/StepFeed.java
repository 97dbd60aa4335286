package dev.pedidos.orders.journey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The journey view's steps, as they are committed, for {@code GET /orders/stream}.
 *
 * <p>Every instance of order-service reads the same view, written by whichever instance's
 * {@code order-journey} consumer took the partition; so polling the steps table by ID, every
 * {@code pedidos.stream.poll-interval}, shows each browser the steps of every order, placed
 * through any instance. One poller per instance reads the new steps ({@code id > cursor}, primary key
 * index) and hands each to the subscribers, in ID order.
 *
 * <p>IDs come from a sequence, taken at insert, and several consumers write concurrently: a step
 * with a lower ID can commit after one with a higher ID, and an insert that hits the view's
 * uniqueness constraint or rolls back burns an ID for good. So the cursor only moves over
 * consecutive IDs; at a gap the poller waits, up to {@code gap-timeout}, for the missing ID, then
 * takes every ID missing below the highest it had seen as never to come. The cursor therefore means
 * "every step up to here was sent", which is what makes {@code Last-Event-ID} exact: a browser that
 * resumes from ID N gets every step above N. (A transaction that commits more than
 * {@code gap-timeout} after a later one is the exception; the view commits a poll's steps in one
 * short transaction.)
 */
@Component
class StepFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StepFeed.class);

    private static final String SELECT = """
            select s.id, s.order_id, o.status, o.customer_name, o.total_amount, o.currency, s.stage, s.at, s.service,
                   s.group_id, s.topic, s."partition", s."offset", s.trace_id, s.detail::text as detail
              from journey_step s left join journey_order o on o.order_id = s.order_id
            """;

    private final JdbcClient jdbc;

    private final JourneySchema schema;

    private final JsonMapper json;

    private final JourneyStreamProperties properties;

    private final Clock clock;

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();

    /** Every step with an ID up to here was handed to the subscribers; -1 until first read. */
    private long cursor = -1;

    /** The ID waited for at a gap, when the wait started, and the highest ID seen then. */
    private long waitingFor = -1;

    private Instant waitingSince = Instant.MIN;

    private long highestSeenWhenWaiting = -1;

    /** IDs missing up to here were given up. */
    private long givenUpThrough = -1;

    private volatile Thread poller;

    StepFeed(JdbcClient jdbc, JourneySchema schema, JsonMapper json, JourneyStreamProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Subscribes to the steps after {@code lastEventId}; the caller sends {@link Subscription#catchUp}
     * first, then what arrives in {@link Subscription#live}.
     *
     * @param orderId     only this order's steps, or every order's when null
     * @param lastEventId the last step ID the client has, or null: then an order's whole journey
     *                    (with {@code orderId}), or only steps from now on (without)
     * @return the subscription; {@link #unsubscribe} it when the client is gone
     * @throws DataAccessException when the view cannot be read (PostgreSQL unavailable)
     * @throws FlywayException                when its schema could not be migrated yet (same cause)
     */
    Subscription subscribe(UUID orderId, Long lastEventId) {
        synchronized (lock) {
            if (cursor < 0) {
                schema.ensureMigrated();
                cursor = jdbc.sql("select coalesce(max(id), 0) from journey_step").query(Long.class).single();
            }
            long after = lastEventId != null ? lastEventId : orderId != null ? 0 : cursor;
            Subscription subscription = new Subscription(orderId, after, Math.max(after, cursor),
                    new ArrayBlockingQueue<>(properties.bufferedEvents()));
            subscriptions.add(subscription);
            return subscription;
        }
    }

    void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    /**
     * The steps of the view with {@code after < id <= upTo}, in ID order.
     *
     * @param orderId only this order's, or every order's when null
     * @param limit   at most this many
     */
    List<StepEvent> read(long after, long upTo, UUID orderId, int limit) {
        if (orderId == null) {
            return jdbc.sql(SELECT + " where s.id > ? and s.id <= ? order by s.id limit ?")
                    .params(after, upTo, limit).query(this::step).list();
        }
        return jdbc.sql(SELECT + " where s.order_id = ? and s.id > ? and s.id <= ? order by s.id limit ?")
                .params(orderId, after, upTo, limit).query(this::step).list();
    }

    /**
     * One poll: hands the steps committed since the last one to the subscribers. Called by the
     * poller (by one at a time, but for a moment when the feed is stopped and started again), which
     * is what lets it read the view without holding the lock: once set, only polls move the cursor,
     * and a subscription made during the read takes the steps after the cursor it saw from
     * {@code live}.
     */
    void poll() {
        long from;
        synchronized (lock) {
            if (cursor < 0) {
                schema.ensureMigrated();
                cursor = jdbc.sql("select coalesce(max(id), 0) from journey_step").query(Long.class).single();
                return;
            }
            from = cursor;
        }
        // Not under the lock: a slow or hung database must not hold up subscribe(), which needs no read once the
        // cursor is set. A missing ID is timed from when the read began: it was missing then at the latest.
        Instant readAt = clock.instant();
        List<StepEvent> steps = read(from, Long.MAX_VALUE, null, properties.batchSize());
        synchronized (lock) {
            if (cursor != from) {
                return; // another poll (of an earlier start()) handed these steps on meanwhile
            }
            List<StepEvent> ready = new ArrayList<>(steps.size());
            for (StepEvent step : steps) {
                long expected = cursor + 1;
                if (step.id() != expected && step.id() > givenUpThrough) {
                    if (waitingFor != expected) {
                        waitingFor = expected;
                        waitingSince = readAt;
                        highestSeenWhenWaiting = steps.getLast().id();
                    }
                    if (Duration.between(waitingSince, readAt).compareTo(properties.gapTimeout()) < 0) {
                        break;
                    }
                    log.debug("Step IDs {} to {} missing for {}: taken as never to come", expected, step.id() - 1,
                            properties.gapTimeout());
                    givenUpThrough = highestSeenWhenWaiting;
                }
                ready.add(step);
                cursor = step.id();
            }
            for (StepEvent step : ready) {
                for (Subscription subscription : subscriptions) {
                    subscription.offer(step);
                }
            }
        }
    }

    private StepEvent step(ResultSet row, int rowNumber) throws SQLException {
        return new StepEvent(row.getLong("id"), row.getObject("order_id", UUID.class), row.getString("status"),
                row.getString("customer_name"), row.getBigDecimal("total_amount"), row.getString("currency"),
                row.getString("stage"), row.getTimestamp("at").toInstant(), row.getString("service"),
                row.getString("group_id"), row.getString("topic"), row.getInt("partition"), row.getLong("offset"),
                row.getString("trace_id"), json.readTree(row.getString("detail")));
    }

    @Override
    public void start() {
        // Recorded before it runs: the poller polls while it is the feed's poller, so it must not look before this.
        Thread thread = Thread.ofVirtual().name("journey-step-feed").unstarted(this::run);
        poller = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread running = poller;
        poller = null;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }

    private void run() {
        boolean failing = false;
        while (poller == Thread.currentThread()) {
            try {
                poll();
                if (failing) {
                    log.info("Journey steps readable again: the stream goes on");
                    failing = false;
                }
            }
            catch (DataAccessException | FlywayException unavailable) {
                if (!failing) {
                    log.warn("Journey steps not readable ({}); the stream waits for PostgreSQL", unavailable.toString());
                    failing = true;
                }
            }
            catch (RuntimeException bug) {
                log.error("Journey step feed failed a poll; retrying", bug);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(properties.pollInterval().toNanos());
            }
            catch (InterruptedException stopping) {
                return;
            }
        }
    }

    /**
     * One client's share of the feed.
     *
     * @param orderId  only this order's steps, or every order's when null
     * @param after    the client has every step up to this ID
     * @param catchUp  steps in {@code (after, catchUp]} were committed before the subscription: the
     *                 client reads them with {@link StepFeed#read}; later ones arrive in {@code live}
     * @param live     the steps after {@code catchUp}, in ID order
     */
    record Subscription(UUID orderId, long after, long catchUp, BlockingQueue<StepEvent> live) {

        /** Set when {@code live} was full: the client is too slow and must reconnect. */
        private static final StepEvent OVERFLOW = new StepEvent(-1, null, null, null, null, null, null, null, null,
                null, null, 0, 0, null, null);

        private void offer(StepEvent step) {
            if (step.id() <= after || (orderId != null && !orderId.equals(step.orderId()))) {
                return;
            }
            if (!live.offer(step)) {
                live.clear();
                live.offer(OVERFLOW);
            }
        }

        /** @return whether this event means: fell behind, end the connection */
        static boolean isOverflow(StepEvent step) {
            return step == OVERFLOW;
        }
    }
}
