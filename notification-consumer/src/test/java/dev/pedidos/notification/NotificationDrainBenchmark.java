package dev.pedidos.notification;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.infra.KafkaClusterConfiguration;
import dev.pedidos.infra.LocalKafkaCluster;
import dev.pedidos.infra.TopicLoader;
import dev.pedidos.infra.PostgresConfiguration;
import dev.pedidos.infra.SmtpConfiguration;
import dev.pedidos.infra.SmtpServer;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drain rate of the notification group beside the SMTP server's own ceiling (issue 11: at least
 * 1,250 e-mails/s, and at least 70% of what the server accepts over the same number of
 * connections). Not a test of the default build: run on demand with
 *
 * <pre>./mvnw -pl notification-consumer -am verify -Pbenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * (the {@code benchmark} profile runs {@code *Benchmark} classes instead of {@code *IT}). The drain
 * is measured warm, as a running service drains: the group first sends the confirmations of
 * {@code pedidos.benchmark.warmup} orders (default 10,000; the JIT compiles the consumer's and
 * JavaMail's paths for tens of seconds on two cores), is paused, then
 * {@code pedidos.benchmark.orders} (default 30,000) more are loaded into the same six-partition
 * topic of the real three-broker cluster. Then, against the same GreenMail server:
 * <ol>
 * <li>the ceiling: a plain JavaMail loop sends the confirmations of the measured orders over as
 *     many SMTP connections as the listener has consumers ({@code spring.kafka.listener.concurrency}),
 *     each connection kept open for its share of the messages; measured twice, just before the group
 *     resumes and after the drain, and the higher figure is the ceiling;</li>
 * <li>the drain: the group resumes (application.yml settings) on the real PostgreSQL and the
 *     benchmark waits until the sent log holds every order; the rate is by wall clock, from resume
 *     to the last row seen, and between the first and the last e-mail of the measured orders.</li>
 * </ol>
 * It also gives this JVM's CPU per e-mail during the drain (the consumers, JavaMail, the status
 * producer; GreenMail runs in this JVM too, so its share is included).
 * The one INFO line per order goes to {@code target/notification-drain-benchmark.log}. The result
 * line starts with {@code Drained} in the console and in {@code target/notification-drain-benchmark.txt}.
 */
@SpringBootTest(properties = {
        // Started by the benchmark once the topic is loaded, so that the drain is measured alone.
        "spring.kafka.listener.auto-startup=false",
        // The one INFO line per order still gets written, to a file as a service's log would be.
        "logging.file.name=target/notification-drain-benchmark.log",
        "logging.threshold.console=WARN",
        "server.port=0",
        "server.address=127.0.0.1"})
@Import({KafkaClusterConfiguration.class, PostgresConfiguration.class, SmtpConfiguration.class})
class NotificationDrainBenchmark {

    private static final Logger log = LoggerFactory.getLogger(NotificationDrainBenchmark.class);

    private static final String TOPIC = "pedidos-benchmark-" + UUID.randomUUID();
    private static final int ORDERS = Integer.getInteger("pedidos.benchmark.orders", 30_000);
    private static final int WARMUP = Integer.getInteger("pedidos.benchmark.warmup", 10_000);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The measured orders (not the warm-up ones): the ceiling sends their confirmations. */
    private static final List<OrderCreated> MEASURED = new ArrayList<>(ORDERS);

    @Autowired
    private KafkaListenerEndpointRegistry registry;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private KafkaProperties kafka;

    @Autowired
    private SmtpServer smtp;

    @Autowired
    private PedidosProperties properties;

    @DynamicPropertySource
    static void sourceTopic(DynamicPropertyRegistry properties) {
        properties.add("pedidos.source-topic", () -> TOPIC);
    }

    @BeforeAll
    static void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get();
        }
        load(0, WARMUP, new ArrayList<>(WARMUP));
    }

    private static String bootstrap() {
        return LocalKafkaCluster.shared().bootstrapServers();
    }

    /**
     * Produces orders {@code first} to {@code first + count - 1} into the topic, acks=all, waits for
     * them, and adds them to {@code loaded}.
     */
    private static void load(int first, int count, List<OrderCreated> loaded) throws InterruptedException {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            OrderCreated order = order(i);
            loaded.add(order);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, order.orderId().toString(),
                    JSON.writeValueAsBytes(order));
            record.headers().add(OrderCreated.EVENT_TYPE_HEADER, OrderCreated.EVENT_TYPE.getBytes(UTF_8))
                    .add(OrderCreated.SCHEMA_VERSION_HEADER, OrderCreated.SCHEMA_VERSION.getBytes(UTF_8));
            records.add(record);
        }
        log.info("Loaded {} orders into {} in {} ms", count, TOPIC, TopicLoader.produceAll(bootstrap(), records));
    }

    /** A typical order: two or three items, customer, BRL. */
    private static OrderCreated order(int i) {
        List<OrderItem> items = new ArrayList<>();
        items.add(new OrderItem("SKU-" + (i % 1000), "Caneca azul", 1 + i % 3, new BigDecimal("39.90")));
        items.add(new OrderItem("SKU-" + (i % 777), "Camiseta", 1, new BigDecimal("59.00")));
        if (i % 2 == 0) {
            items.add(new OrderItem("SKU-9", "Adesivo", 4, new BigDecimal("2.50")));
        }
        BigDecimal total = items.stream().map(item -> item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new OrderCreated(UUID.randomUUID(), UUID.randomUUID(), Instant.now(),
                new Customer("c-" + i, "Cliente " + i, "cliente" + i + "@example.com"), items, "BRL", total);
    }

    @Test
    void drainsWarmBesideTheSmtpCeiling() throws Exception {
        // given a group that sent the warm-up confirmations and is paused at the end of the topic
        MessageListenerContainer container = registry.getListenerContainer(NotificationListener.ID);
        assertThat(container).isNotNull();
        assertThat(count()).isZero();
        container.start();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> count() >= WARMUP);
        container.pause();
        await().atMost(Duration.ofMinutes(1)).until(container::isContainerPaused);
        load(WARMUP, ORDERS, MEASURED);
        // and the server's ceiling over as many connections, with the measured orders' messages
        int connections = kafka.getListener().getConcurrency();
        ceiling(connections, Math.min(ORDERS, 2_000)); // JavaMail's code path compiled (this JVM's first use of it)
        double ceilingBefore = ceiling(connections, ORDERS);
        Timestamp resumedAt = jdbc.queryForObject("select clock_timestamp()", Timestamp.class);

        // when the group resumes
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        container.resume();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> count() >= WARMUP + ORDERS);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        double cpuMicrosPerEmail = (processCpuNanos() - cpuStart) / 1e3 / ORDERS;
        container.stop();
        double ceilingAfter = ceiling(connections, ORDERS);

        // then
        Map<String, Object> span = jdbc.queryForMap("""
                select count(*) as sent, extract(epoch from max(sent_at) - min(sent_at)) as seconds
                from sent_notification where sent_at >= ?""", resumedAt);
        long sent = ((Number) span.get("sent")).longValue();
        double steadySeconds = ((Number) span.get("seconds")).doubleValue();
        double steady = sent / steadySeconds;
        double ceiling = Math.max(ceilingBefore, ceilingAfter);
        String result = String.format(Locale.ROOT,
                "Drained %d orders warm (after %d warm-up orders): %.0f e-mails/s by wall clock (%.2f s from resume "
                        + "to last sent-log row), %.0f e-mails/s between the first and the last e-mail (%.2f s); "
                        + "SMTP ceiling, plain JavaMail loop over %d connections with the same messages: %.0f/s before, "
                        + "%.0f/s after the drain; first-to-last drain = %.0f%% of the higher ceiling, %.0f%% of their mean "
                        + "(max.poll.records %s, concurrency %d); %.0f µs of this JVM's CPU per e-mail (GreenMail's "
                        + "included)",
                sent, WARMUP, sent / wallSeconds, wallSeconds, steady, steadySeconds, connections, ceilingBefore,
                ceilingAfter, 100 * steady / ceiling, 200 * steady / (ceilingBefore + ceilingAfter),
                kafka.getConsumer().getMaxPollRecords(), connections, cpuMicrosPerEmail);
        log.warn(result);
        Files.writeString(Path.of("target", "notification-drain-benchmark.txt"), result + System.lineSeparator());
        assertThat(sent).isEqualTo(ORDERS);
        assertThat(count()).isEqualTo(WARMUP + ORDERS);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Sends the confirmations of the first {@code messages} measured orders with JavaMail alone,
     * over {@code connections} transports in parallel, each open for its whole share.
     *
     * @return messages per second the server accepted
     */
    private double ceiling(int connections, int messages) throws Exception {
        Properties settings = new Properties();
        settings.put("mail.smtp.host", "127.0.0.1");
        settings.put("mail.smtp.port", Integer.toString(smtp.port()));
        Session session = Session.getInstance(settings);
        InternetAddress from = new InternetAddress(properties.mail().from());
        List<OrderConfirmation> confirmations = MEASURED.subList(0, messages).stream()
                .map(OrderConfirmations::compose).toList();
        try (ExecutorService threads = Executors.newFixedThreadPool(connections)) {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                List<OrderConfirmation> share = new ArrayList<>();
                for (int i = c; i < messages; i += connections) {
                    share.add(confirmations.get(i));
                }
                done.add(threads.submit(() -> {
                    try (Transport transport = session.getTransport("smtp")) {
                        transport.connect();
                        for (OrderConfirmation confirmation : share) {
                            MimeMessage message = new MimeMessage(session);
                            message.setFrom(from);
                            message.setRecipient(RecipientType.TO, new InternetAddress(confirmation.to()));
                            message.setSubject(confirmation.subject(), UTF_8.name());
                            message.setText(confirmation.body(), UTF_8.name());
                            message.saveChanges();
                            message.setHeader("Message-ID", confirmation.messageId());
                            transport.sendMessage(message, message.getAllRecipients());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> one : done) {
                one.get();
            }
            return messages / ((System.nanoTime() - start) / 1e9);
        }
    }

    private long count() {
        Long count = jdbc.queryForObject("select count(*) from sent_notification", Long.class);
        return count == null ? 0 : count;
    }
}
