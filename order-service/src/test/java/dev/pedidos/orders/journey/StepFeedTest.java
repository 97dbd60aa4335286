package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.pedidos.orders.journey.StepFeed.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link StepFeed} while the view answers slowly: a poll waiting for its read does not hold up a new
 * stream's subscription, and the steps that read brings reach the new subscriber.
 */
class StepFeedTest {

    private static final JourneyStreamProperties PROPERTIES = new JourneyStreamProperties(Duration.ofMillis(200),
            Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofMinutes(5), 100, 100);

    private final JdbcClient jdbc = mock(JdbcClient.class, RETURNS_DEEP_STUBS);

    private final CountDownLatch reading = new CountDownLatch(1);

    private final CountDownLatch databaseAnswers = new CountDownLatch(1);

    /** The feed, whose read of new steps waits until the test lets the database answer with step 42. */
    private final StepFeed feed = new StepFeed(jdbc, mock(JourneySchema.class), JsonMapper.builder().build(), PROPERTIES,
            Clock.systemUTC()) {

        @Override
        List<StepEvent> read(long after, long upTo, UUID orderId, int limit) {
            reading.countDown();
            try {
                assertThat(databaseAnswers.await(30, TimeUnit.SECONDS)).isTrue();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return List.of(new StepEvent(after + 1, UUID.randomUUID(), "ACCEPTED", "Ana Souza", new BigDecimal("67.47"),
                    "BRL", "ACCEPTED", Instant.now(), "order-service", null, "pedidos-pendentes", 1, 10, null, null));
        }
    };

    @AfterEach
    void letTheDatabaseAnswer() {
        databaseAnswers.countDown();
    }

    @Test
    void aPollWaitingForTheDatabaseDoesNotHoldUpANewSubscription() throws Exception {
        // given a feed whose cursor is at step 41, polling, its read not answered yet
        when(jdbc.sql(anyString()).query(Long.class).single()).thenReturn(41L);
        feed.poll();
        CompletableFuture<Void> polling = CompletableFuture.runAsync(feed::poll, Thread.ofPlatform()::start);
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        // when a stream of new steps subscribes meanwhile, then it does so at once
        Subscription subscription = CompletableFuture.supplyAsync(() -> feed.subscribe(null, null),
                Thread.ofPlatform()::start).get(5, TimeUnit.SECONDS);
        assertThat(subscription.catchUp()).isEqualTo(41);

        // and the step the poll brings once the database answers is its first live step
        databaseAnswers.countDown();
        polling.get(10, TimeUnit.SECONDS);
        assertThat(subscription.live().poll(5, TimeUnit.SECONDS)).extracting(StepEvent::id).isEqualTo(42L);
    }
}
