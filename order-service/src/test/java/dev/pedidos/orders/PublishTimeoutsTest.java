package dev.pedidos.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

/**
 * G2 rests on the order of three timeouts in {@code application.yml}: the producer gives up on a
 * record (max.block.ms + delivery.timeout.ms) before we stop waiting and answer 503, and we answer
 * well before a client gives up.
 */
class PublishTimeoutsTest {

    private Binder config;

    @BeforeEach
    void loadApplicationYml() throws Exception {
        var sources = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        config = new Binder(ConfigurationPropertySources.from(sources));
    }

    @Test
    void producerGivesUpBeforeWeAnswer503() {
        Duration publishTimeout = config.bind("pedidos.publish-timeout", Duration.class).get();

        assertThat(producerMillis("max.block.ms") + producerMillis("delivery.timeout.ms"))
                .isLessThan(publishTimeout.toMillis());
    }

    @Test
    void clientsGetAnAnswerWithinTenSeconds() {
        assertThat(config.bind("pedidos.publish-timeout", Duration.class).get()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void deliveryTimeoutCoversOneRequest() {
        // Kafka rejects the producer configuration otherwise.
        assertThat(producerMillis("delivery.timeout.ms"))
                .isGreaterThanOrEqualTo(producerMillis("linger.ms") + producerMillis("request.timeout.ms"));
    }

    @Test
    void writesAreDurable() {
        assertThat(config.bind("spring.kafka.producer.acks", String.class).get()).isEqualTo("all");
        assertThat(producerProperties()).containsEntry("enable.idempotence", "true");
        assertThat(config.bind("pedidos.topic.min-insync-replicas", Integer.class).get()).isEqualTo(2);
    }

    private long producerMillis(String name) {
        return Long.parseLong(producerProperties().get(name));
    }

    private Map<String, String> producerProperties() {
        return config.bind("spring.kafka.producer.properties", Bindable.mapOf(String.class, String.class)).get();
    }
}
