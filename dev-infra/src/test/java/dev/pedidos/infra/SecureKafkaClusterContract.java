package dev.pedidos.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a cluster in secure mode guarantees (issue 12), whatever runs its nodes: the services'
 * principals can do what the pipeline needs and nothing else, and nobody else gets in.
 * {@link SecureLocalKafkaClusterIT} and {@link SecureContainerKafkaClusterIT} run it on broker
 * processes and on Docker containers. Topics are created by the principal whose service declares
 * them, as Boot's {@code KafkaAdmin} does at start-up, so those ACLs are exercised too.
 */
abstract class SecureKafkaClusterContract {

    private static final String ORDERS = "pedidos-pendentes";
    private static final String STATUS = "pedidos-status";
    private static final String BILLING_DLT = "pedidos-pendentes-billing-dlt";

    /** How long a client may try before a refused connection counts as refused. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(10);

    /** @return the cluster under test, running in secure mode */
    abstract KafkaCluster cluster();

    private KafkaSecurity security() {
        return cluster().security().orElseThrow(() -> new AssertionError("the cluster is not in secure mode"));
    }

    @Test
    void theServicesPrincipalsCarryAnOrderFromOrderServiceThroughBothGroups() throws Exception {
        // Given the topics, each declared by the service that writes it (describe, then create)
        declare("order-service", ORDERS);
        declare("billing-consumer", BILLING_DLT, STATUS);
        declare("notification-consumer", "pedidos-pendentes-notification-dlt", STATUS);
        String orderId = UUID.randomUUID().toString();

        // When order-service writes an order (acks=all, idempotent)
        try (KafkaProducer<String, String> producer = producer("order-service")) {
            producer.send(new ProducerRecord<>(ORDERS, orderId, "{}")).get();
        }

        // Then each group reads it with its own principal and writes its dead letter and its step
        for (String service : List.of("billing-consumer", "notification-consumer")) {
            String group = service.replace("-consumer", "");
            assertThat(readKeys(service, group, ORDERS)).as("%s reads %s as group %s", service, ORDERS, group)
                    .contains(orderId);
            try (KafkaProducer<String, String> producer = producer(service)) {
                producer.send(new ProducerRecord<>(ORDERS + "-" + group + "-dlt", orderId, "{}")).get();
                producer.send(new ProducerRecord<>(STATUS, orderId, "{\"group\":\"" + group + "\"}")).get();
            }
        }
        // And order-service reads the steps into its journey view, as group order-journey
        assertThat(readKeys("order-service", "order-journey", STATUS)).contains(orderId);
    }

    @Test
    void aClientWithoutCredentialsCannotConnect() {
        // TLS with the right trust store, but no SASL: the broker expects a SASL handshake first.
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, security().truststore().toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, security().truststorePassword());
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");

        assertRefused(config);
    }

    @Test
    void aWrongPasswordFails() {
        Map<String, Object> config = security().clientProperties("notification-consumer", "not-the-password");

        assertThatThrownBy(() -> describeCluster(config))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void aPlaintextConnectionToTheSaslSslPortFails() {
        assertRefused(Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    }

    @Test
    void notificationCannotWriteOrdersNorBillingsDeadLetters() throws Exception {
        declare("order-service", ORDERS);
        declare("billing-consumer", BILLING_DLT);

        try (KafkaProducer<String, String> producer = producer("notification-consumer")) {
            for (String topic : List.of(ORDERS, BILLING_DLT)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "forged")).get())
                        .as("notification-consumer writing to %s", topic)
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void notificationCannotJoinGroupBilling() throws Exception {
        declare("order-service", ORDERS);

        try (KafkaConsumer<String, String> consumer = consumer("notification-consumer", "billing")) {
            consumer.subscribe(List.of(ORDERS));
            assertThatThrownBy(() -> consumer.poll(REFUSED_WITHIN)).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    /** Creates the topics when missing, as the principal of the service that declares them. */
    private void declare(String service, String... topics) throws Exception {
        try (Admin admin = Admin.create(config(security().clientProperties(service)))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = Arrays.stream(topics).filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, 3, (short) 3)).toList();
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                // another test (or service) created it first
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private List<String> readKeys(String service, String group, String topic) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(service, group)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
                return !keys.isEmpty();
            });
            consumer.commitSync();
        }
        return keys;
    }

    private void assertRefused(Map<String, Object> security) {
        assertThatThrownBy(() -> describeCluster(security)).isInstanceOf(ExecutionException.class);
    }

    private void describeCluster(Map<String, Object> security) throws Exception {
        Map<String, Object> config = config(security);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSED_WITHIN.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REFUSED_WITHIN.toMillis() / 2);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get();
        }
    }

    private KafkaProducer<String, String> producer(String service) {
        Map<String, Object> config = config(security().clientProperties(service));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) REFUSED_WITHIN.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    private KafkaConsumer<String, String> consumer(String service, String group) {
        Map<String, Object> config = config(security().clientProperties(service));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    private Map<String, Object> config(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster().bootstrapServers());
        return config;
    }
}
