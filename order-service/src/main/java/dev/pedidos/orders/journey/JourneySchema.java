package dev.pedidos.orders.journey;

import java.util.concurrent.locks.ReentrantLock;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.stereotype.Component;

/**
 * The view's schema (Flyway, {@code db/migration}), migrated without making PostgreSQL a start-up
 * dependency of order-service: the write path ({@code POST /orders}) needs Kafka only.
 *
 * <p>Boot runs Flyway at start-up through this {@link FlywayMigrationStrategy}: when PostgreSQL
 * answers, the schema is migrated then, as usual; when it does not, the failure is logged and the
 * service starts anyway. {@link #ensureMigrated()} then migrates on the view's first use (a poll of
 * the projector, a {@code GET}), and throws while the database is still away.
 */
@Component
class JourneySchema implements FlywayMigrationStrategy {

    private static final Logger log = LoggerFactory.getLogger(JourneySchema.class);

    private volatile Flyway flyway;

    private volatile boolean migrated;

    private final ReentrantLock migrating = new ReentrantLock();

    @Override
    public void migrate(Flyway flyway) {
        this.flyway = flyway;
        try {
            ensureMigrated();
        }
        catch (RuntimeException databaseAway) {
            log.warn("Journey view not migrated at start-up ({}); POST /orders works, GET /orders answers 503 "
                    + "until PostgreSQL answers", databaseAway.toString());
        }
    }

    /**
     * Migrates the schema unless that was done. One thread migrates at a time; the others do not
     * wait for it, since while PostgreSQL is away an attempt lasts Hikari's connection timeout: a
     * request is answered {@code 503} with {@code Retry-After} at once, and the step feed and the
     * projector try again at their next poll.
     *
     * @throws org.flywaydb.core.api.FlywayException when PostgreSQL is unavailable, a migration
     *                                               fails, or another thread is migrating now
     * @throws IllegalStateException                 before Boot handed Flyway over (start-up)
     */
    void ensureMigrated() {
        if (migrated) {
            return;
        }
        if (!migrating.tryLock()) {
            throw new FlywayException("The journey view's schema is being migrated by another thread; try again");
        }
        try {
            if (migrated) {
                return;
            }
            if (flyway == null) {
                throw new IllegalStateException("Flyway not configured yet");
            }
            flyway.migrate();
            migrated = true;
        }
        finally {
            migrating.unlock();
        }
    }
}
