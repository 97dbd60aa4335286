package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.pedidos.groups.lag.ConsumerGroupLag;
import dev.pedidos.orders.journey.GroupNumbers.GroupsProperties;
import dev.pedidos.orders.journey.GroupNumbers.GroupsProperties.Watched;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.KafkaAdmin;

/** The cache of {@link GroupNumbers}: a slow cluster is asked once per cache period, however many pages ask. */
class GroupNumbersTest {

    private static final Instant T0 = Instant.parse("2026-11-27T15:00:00Z");

    private final SteppedClock clock = new SteppedClock();

    private final ConsumerGroupLag lag = mock(ConsumerGroupLag.class);

    // No dead-letter topic is watched here, so this admin client is never asked.
    private final GroupNumbers numbers = new GroupNumbers(lag,
            new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9")),
            new GroupsProperties(List.of(new Watched("billing", List.of("pedidos-pendentes"), null)),
                    Duration.ofSeconds(5), Duration.ofSeconds(1)), clock);

    @AfterEach
    void closeAdmin() {
        numbers.destroy();
    }

    @Test
    void aRequestThatWaitedForASlowMeasurementGetsItsFigures() {
        // given a cluster that takes 5 s to answer the lag
        when(lag.of("billing", "pedidos-pendentes")).thenAnswer(invocation -> {
            clock.advance(Duration.ofSeconds(5));
            return List.of();
        });

        // when a page asks, and another one that waited meanwhile asks right after
        GroupNumbers.Numbers first = numbers.groups();
        GroupNumbers.Numbers waited = numbers.groups();

        // then the cluster was asked once, and the figures say when they were measured
        assertThat(waited).isSameAs(first);
        assertThat(first.measuredAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(first.groups()).containsExactly(new GroupNumbers.Group("billing", 0L, null));
        verify(lag, times(1)).of("billing", "pedidos-pendentes");

        // and once the cache period is over, it is asked again
        clock.advance(Duration.ofSeconds(1));
        assertThat(numbers.groups()).isNotSameAs(first);
        verify(lag, times(2)).of("billing", "pedidos-pendentes");
    }

    /** A clock the test moves. */
    private static final class SteppedClock extends Clock {

        private Instant now = T0;

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
