package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The poller's lifecycle in {@link StepFeed}: every {@link StepFeed#start()} polls, again and again,
 * until {@link StepFeed#stop()}. The view is unreachable here (its schema cannot be migrated), so each
 * poll is one attempt to migrate it, which the test counts.
 */
class StepFeedLifecycleTest {

    private static final JourneyStreamProperties PROPERTIES = new JourneyStreamProperties(Duration.ofMillis(1),
            Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofMinutes(5), 100, 100);

    @Test
    void everyStartPollsUntilStopped() {
        // A poller that checked whether it is still the feed's poller before start() had recorded it as such ended
        // at once, leaving the stream silent. That showed under load only, so the cycle is repeated, from two
        // threads at once to keep both cores busy.
        Runnable cycles = () -> {
            for (int i = 0; i < 250; i++) {
                AtomicInteger polls = new AtomicInteger();
                StepFeed feed = new StepFeed(mock(JdbcClient.class), unreachableSchema(polls), JsonMapper.builder().build(),
                        PROPERTIES, Clock.systemUTC());

                feed.start();

                assertThat(feed.isRunning()).isTrue();
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(polls).hasValueGreaterThan(2));
                feed.stop();
                int atStop = polls.get();
                assertThat(feed.isRunning()).isFalse();
                // a poll under way when it stopped may still end; none starts after it
                await().pollInterval(Duration.ofMillis(1)).during(Duration.ofMillis(20)).atMost(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(polls.get()).isLessThanOrEqualTo(atStop + 1));
            }
        };
        Logger feedLog = (Logger) LoggerFactory.getLogger(StepFeed.class);
        Level level = feedLog.getLevel();
        feedLog.setLevel(Level.ERROR); // one warning per start that the view is unreadable, as expected here
        try {
            CompletableFuture<Void> other = CompletableFuture.runAsync(cycles, Thread.ofPlatform()::start);
            cycles.run();
            other.join();
        }
        finally {
            feedLog.setLevel(level);
        }
    }

    private static JourneySchema unreachableSchema(AtomicInteger polls) {
        JourneySchema schema = mock(JourneySchema.class);
        doAnswer(invocation -> {
            polls.incrementAndGet();
            throw new FlywayException("Connection to 127.0.0.1:5432 refused");
        }).when(schema).ensureMigrated();
        return schema;
    }
}
