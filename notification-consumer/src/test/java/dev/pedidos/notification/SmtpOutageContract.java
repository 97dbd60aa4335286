package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.infra.SmtpServer.ReceivedMail;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The SMTP server stopped for a minute under a stream of orders: the records wait (retried without
 * limit, never dead-lettered), health turns DOWN, and once the server is back every order is
 * e-mailed and logged exactly once (issue 11: today's record listener dead-lettered every order of
 * an outage longer than about 7 s).
 */
abstract class SmtpOutageContract extends NotificationITSupport {

    /** The outage the issue names. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    private MeterRegistry meters;

    @Test
    void ordersArrivingWhileTheSmtpServerIsDownForAMinuteAreEMailedOnceWhenItReturns(CapturedOutput output)
            throws Exception {
        // given orders flowing and e-mailed
        double duplicatesBefore = meters.get("notifications.duplicates").counter().count();
        List<OrderCreated> before = orders(10);
        before.forEach(this::send);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(before)
                .allSatisfy(order -> assertThat(sentLogRows(order.orderId())).hasSize(1)));

        // when the SMTP server stops for a minute while an order arrives every second
        List<OrderCreated> during = new ArrayList<>();
        smtp.stop();
        try {
            long end = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < end) {
                OrderCreated order = orders(1).getFirst();
                send(order);
                during.add(order);
                await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            }

            // then meanwhile the service says it is DOWN because of the mail server, and the records are retried
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(health.body()).at("/components/mail/status").asString()).isEqualTo("DOWN");
            assertThat(during).anySatisfy(order -> assertThat(linesWith(output, "of order " + order.orderId()))
                    .anySatisfy(line -> assertThat(line).contains("failed", "DependencyUnavailableException")));
            assertThat(during).allSatisfy(order -> assertThat(sentLogRows(order.orderId())).isEmpty());
        }
        finally {
            smtp.start();
        }
        List<OrderCreated> after = orders(10);
        after.forEach(this::send);

        // then every order is e-mailed once and logged once, none dead-lettered, and the service is UP again
        List<OrderCreated> all = Stream.of(before, during, after).flatMap(List::stream).toList();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(all)
                .allSatisfy(order -> assertThat(sentLogRows(order.orderId())).hasSize(1)));
        List<ReceivedMail> received = smtp.received();
        assertThat(all).allSatisfy(order -> assertThat(mails(received, order.orderId())).hasSize(1));
        assertThat(deadLetters(all.stream().map(order -> order.orderId().toString()).toList())).isEmpty();
        assertThat(all).allSatisfy(order -> assertThat(linesWith(output, "Dead-lettered order " + order.orderId())).isEmpty());
        assertThat(meters.get("notifications.duplicates").counter().count()).isEqualTo(duplicatesBefore);
        await().atMost(PATIENCE).untilAsserted(() -> {
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).at("/components/mail/status").asString()).isEqualTo("UP");
        });
    }

    private static List<OrderCreated> orders(int count) {
        return IntStream.range(0, count).mapToObj(i -> order(UUID.randomUUID(), "SKU-" + i, 1 + i % 3)).toList();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
