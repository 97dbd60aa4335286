package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * {@link JourneySchema#ensureMigrated()}: while one thread migrates (with PostgreSQL away, for as long
 * as a connection attempt lasts), the others are answered at once instead of queueing behind it.
 */
class JourneySchemaTest {

    private final Flyway flyway = mock(Flyway.class);

    private final JourneySchema schema = new JourneySchema();

    @Test
    void anotherThreadsMigrationIsNotWaitedFor() throws Exception {
        // given PostgreSQL away at start-up
        doThrow(new FlywayException("Unable to obtain connection from database")).when(flyway).migrate();
        schema.migrate(flyway);
        // and a thread whose attempt is under way
        CountDownLatch inMigration = new CountDownLatch(1);
        CountDownLatch databaseAnswers = new CountDownLatch(1);
        doAnswer(invocation -> {
            inMigration.countDown();
            assertThat(databaseAnswers.await(30, TimeUnit.SECONDS)).isTrue();
            return null;
        }).when(flyway).migrate();
        CompletableFuture<Void> migrating = CompletableFuture.runAsync(schema::ensureMigrated, Thread.ofPlatform()::start);
        assertThat(inMigration.await(10, TimeUnit.SECONDS)).isTrue();

        // then a request is answered at once, as the view being unavailable
        assertThatExceptionOfType(FlywayException.class).isThrownBy(schema::ensureMigrated)
                .withMessageContaining("being migrated");

        // and once the attempt succeeds, the schema is migrated for everybody, without another migration
        databaseAnswers.countDown();
        await().atMost(Duration.ofSeconds(10)).until(migrating::isDone);
        assertThatNoException().isThrownBy(migrating::join);
        assertThatNoException().isThrownBy(schema::ensureMigrated);
        verify(flyway, times(2)).migrate();
    }
}
