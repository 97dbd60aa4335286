package dev.pedidos.orders;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The Spring test context of every order-service integration test: the whole service on a random
 * port of 127.0.0.1 (public for the tests of the journey package, which share the context). The tests are written once, in a {@code *Contract} class carrying this
 * annotation; an {@code *IT} subclass runs them on the real three-broker cluster of broker processes
 * ({@code @Import(KafkaClusterConfiguration.class)}), a {@code *ContainersIT} subclass on Docker
 * containers where there is Docker. Subclasses importing the same configuration share one context.
 */
@Target(ElementType.TYPE)
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        // A stopped database shows within a second (Hikari's minimum is 250 ms), a poll retried every half second.
        "spring.datasource.hikari.connection-timeout=1000",
        "pedidos.journey.database-unavailable-interval=500ms"})
public @interface OrderServiceIntegrationTest {
}
