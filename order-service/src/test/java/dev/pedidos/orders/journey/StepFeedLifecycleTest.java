package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
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
    void everyStartPollsUntilStopped() throws Exception {
        // A poller that checked whether it is still the feed's poller before start() had recorded it as such ended
        // at once, leaving the stream silent. That showed under load only, so the cycle is repeated, from two
        // threads at once to keep both cores busy. (Each start logs one warning that the view is unreadable.)
        Callable<Void> cycles = () -> {
            for (int i = 0; i < 100; i++) {
                AtomicInteger polls = new AtomicInteger();
                StepFeed feed = new StepFeed(mock(JdbcClient.class), unreachableSchema(polls), JsonMapper.builder().build(),
                        PROPERTIES, Clock.systemUTC());
                try {
                    feed.start();

                    assertThat(feed.isRunning()).isTrue();
                    await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
                            .untilAsserted(() -> assertThat(polls).hasValueGreaterThan(2));
                }
                finally {
                    feed.stop();
                }
                int atStop = polls.get();
                assertThat(feed.isRunning()).isFalse();
                // a poll under way when it stopped may still end; none starts after it
                await().pollInterval(Duration.ofMillis(1)).during(Duration.ofMillis(20)).atMost(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(polls.get()).isLessThanOrEqualTo(atStop + 1));
            }
            return null;
        };
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<Void>> both = threads.invokeAll(List.of(cycles, cycles));
            for (Future<Void> one : both) {
                one.get();
            }
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
