package dev.pedidos.orders;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.pedidos.infra.KafkaClusterConfiguration;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The one Spring test context of every order-service {@code *IT}: the whole service on a random
 * port of 127.0.0.1, writing to the real three-broker cluster of dev-infra. Every IT class carries
 * exactly this annotation, so they all share one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@Import(KafkaClusterConfiguration.class)
@interface OrderServiceIntegrationTest {
}
