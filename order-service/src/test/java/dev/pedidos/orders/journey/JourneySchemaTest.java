package dev.pedidos.orders.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JourneySchema#ensureMigrated()}: while one thread migrates (with PostgreSQL away, for as long
 * as a connection attempt lasts), the others are answered at once instead of queueing behind it.
 */
class JourneySchemaTest {

    private final Flyway flyway = mock(Flyway.class);

    private final JourneySchema schema = new JourneySchema();

    private final CountDownLatch databaseAnswers = new CountDownLatch(1);

    @AfterEach
    void letTheDatabaseAnswer() {
        databaseAnswers.countDown();
    }

    @Test
    void anotherThreadsMigrationIsNotWaitedFor() throws Exception {
        // given PostgreSQL away at start-up
        doThrow(new FlywayException("Unable to obtain connection from database")).when(flyway).migrate();
        schema.migrate(flyway);
        // and a thread whose attempt is under way
        CountDownLatch inMigration = new CountDownLatch(1);
        doAnswer(invocation -> {
            inMigration.countDown();
            databaseAnswers.await();
            return null;
        }).when(flyway).migrate();
        CompletableFuture<Void> migrating = CompletableFuture.runAsync(schema::ensureMigrated, Thread.ofPlatform()::start);
        assertThat(inMigration.await(10, TimeUnit.SECONDS)).isTrue();

        // when a request needs the view meanwhile, then it is answered at once, as the view being unavailable
        CompletableFuture<Void> request = CompletableFuture.runAsync(schema::ensureMigrated, Thread.ofPlatform()::start);
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> request.get(5, TimeUnit.SECONDS))
                .havingCause().isInstanceOf(FlywayException.class).withMessageContaining("being migrated");

        // and once the attempt succeeds, the schema is migrated for everybody, without another migration
        databaseAnswers.countDown();
        migrating.get(10, TimeUnit.SECONDS);
        assertThatNoException().isThrownBy(schema::ensureMigrated);
        verify(flyway, times(2)).migrate();
    }
}
