package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.pedidos.infra.KafkaCluster;
import dev.pedidos.orders.OrderServiceApplication;
import dev.pedidos.orders.journey.EventStreamClient.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code GET /orders/stream} over real HTTP, without a browser: steps recorded in the journey view
 * (the real PostgreSQL database, written here as the view's projector writes it) arrive as events
 * in ID order, {@code Last-Event-ID} resumes after the given step, a step whose transaction commits
 * after a later one is still sent, in order, and a second instance of order-service on the same
 * view streams the same steps.
 */
@SpringBootTest(classes = OrderServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
abstract class JourneyStreamContract {

    // An EventStreamClient is constructed once the response's headers arrived, which the controller
    // sends after it subscribed: a step inserted afterwards is always one the stream must send.

    private static final Duration WAIT = Duration.ofSeconds(15);

    /** The second instance, started once for the class and closed after it. */
    private static ConfigurableApplicationContext otherInstance;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JourneySchema schema;

    @Autowired
    private JsonMapper json;

    @Autowired
    private KafkaCluster cluster;

    @Autowired
    private JdbcConnectionDetails database;

    @LocalServerPort
    private int port;

    @BeforeEach
    void migrated() {
        schema.ensureMigrated();
    }

    @AfterAll
    static void stopOtherInstance() {
        if (otherInstance != null) {
            otherInstance.close();
            otherInstance = null;
        }
    }

    @Test
    void stepsArriveInOrderAndLastEventIdResumesAfterTheGivenStep() throws Exception {
        UUID order = UUID.randomUUID();
        try (EventStreamClient all = new EventStreamClient(stream(port, ""), null)) {
            long accepted = insertStep(order, "ACCEPTED", null);
            long invoiced = insertStep(order, "INVOICED", "billing");
            long sent = insertStep(order, "CONFIRMATION_SENT", "notification");

            List<Event> events = all.next(3, order.toString(), WAIT);

            assertThat(events).extracting(Event::id).containsExactly(ids(accepted, invoiced, sent));
            assertThat(events).extracting(Event::name).containsOnly("step");
            assertThat(events).extracting(event -> json.readTree(event.data()).get("stage").asString())
                    .containsExactly("ACCEPTED", "INVOICED", "CONFIRMATION_SENT");
            JsonNode last = json.readTree(events.getLast().data());
            assertThat(last.get("orderId").asString()).isEqualTo(order.toString());
            assertThat(last.get("group").asString()).isEqualTo("notification");
            assertThat(last.get("partition").asInt()).isEqualTo(4);
            assertThat(last.get("detail").get("note").asString()).isEqualTo("CONFIRMATION_SENT");

            try (EventStreamClient resumed = new EventStreamClient(stream(port, "?orderId=" + order), Long.toString(accepted))) {
                assertThat(resumed.next(3, order.toString(), Duration.ofSeconds(3))).extracting(Event::id)
                        .containsExactly(ids(invoiced, sent));
            }
            try (EventStreamClient whole = new EventStreamClient(stream(port, "?orderId=" + order), null)) {
                assertThat(whole.next(3, order.toString(), WAIT)).extracting(Event::id)
                        .containsExactly(ids(accepted, invoiced, sent));
            }
        }
    }

    @Test
    void aStepCommittedAfterALaterOneIsStillSentAndInOrder() throws Exception {
        UUID order = UUID.randomUUID();
        try (EventStreamClient client = new EventStreamClient(stream(port, "?orderId=" + order), null);
                Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            long first = insertStep(slow, order, "INVOICED", "billing");
            long second = insertStep(order, "CONFIRMATION_SENT", "notification");
            assertThat(second).isGreaterThan(first);
            assertThat(client.next(1, order.toString(), Duration.ofMillis(800))).as("waits for the lower ID").isEmpty();

            slow.commit();

            assertThat(client.next(2, order.toString(), WAIT)).extracting(Event::id).containsExactly(ids(first, second));
        }
    }

    @Test
    void aSecondInstanceStreamsTheStepsOfTheSharedView() throws Exception {
        int otherPort = otherInstancePort();
        UUID order = UUID.randomUUID();
        try (EventStreamClient here = new EventStreamClient(stream(port, ""), null);
                EventStreamClient there = new EventStreamClient(stream(otherPort, ""), null)) {
            long accepted = insertStep(order, "ACCEPTED", null);
            long invoiced = insertStep(order, "INVOICED", "billing");

            assertThat(here.next(2, order.toString(), WAIT)).extracting(Event::id).containsExactly(ids(accepted, invoiced));
            assertThat(there.next(2, order.toString(), WAIT)).extracting(Event::id).containsExactly(ids(accepted, invoiced));
        }
    }

    private int otherInstancePort() {
        if (otherInstance == null) {
            otherInstance = new SpringApplicationBuilder(OrderServiceApplication.class).run(
                    "--server.port=0", "--server.address=127.0.0.1",
                    "--spring.kafka.bootstrap-servers=" + cluster.bootstrapServers(),
                    "--spring.datasource.url=" + database.getJdbcUrl(),
                    "--spring.datasource.username=" + database.getUsername(),
                    "--spring.datasource.password=" + database.getPassword());
        }
        return ((WebServerApplicationContext) otherInstance).getWebServer().getPort();
    }

    private static URI stream(int port, String query) {
        return URI.create("http://127.0.0.1:" + port + "/orders/stream" + query);
    }

    private static String[] ids(long... ids) {
        return java.util.Arrays.stream(ids).mapToObj(Long::toString).toArray(String[]::new);
    }

    private long insertStep(UUID order, String stage, String group) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return insertStep(connection, order, stage, group);
        }
    }

    /** A step as the view's projector records it. */
    private static long insertStep(Connection connection, UUID order, String stage, String group) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into journey_step (order_id, stage, dedupe_key, at, service, group_id, topic, "partition", "offset",
                                          trace_id, detail)
                values (?, ?, ?, ?, ?, ?, 'pedidos-pendentes', 4, 17, null, ?::jsonb) returning id
                """)) {
            insert.setObject(1, order);
            insert.setString(2, stage);
            insert.setString(3, stage + "|" + group);
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            insert.setString(5, group == null ? "order-service" : group + "-consumer");
            insert.setString(6, group);
            insert.setString(7, "{\"note\": \"" + stage + "\"}");
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }
}
