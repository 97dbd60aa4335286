package dev.pedidos.orders.idempotency;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * {@link IdempotencyKeys} in order-service's PostgreSQL database (table {@code idempotency_key},
 * Flyway {@code V2__idempotency_keys.sql}). Each call is one statement in its own transaction; the
 * claim is one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}, which PostgreSQL runs under the
 * row's lock, so that of concurrent requests with one key exactly one gets the claim.
 */
@Repository
class JdbcIdempotencyKeys implements IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(JdbcIdempotencyKeys.class);

    /*
     * A new key is inserted. An existing key is taken over (the row returned) only when it expired (then it
     * starts afresh with this body), or when it has this body and no request holds it (a retry after an answer,
     * a 503 included). Otherwise nothing is returned, and CONFLICTING tells 422 from 409.
     */
    private static final String CLAIM = """
            insert into idempotency_key as k (idempotency_key, fingerprint, order_id, in_flight_until, created_at,
                                              expires_at)
            values (?, ?, ?, now() + make_interval(secs => ?), now(), now() + make_interval(secs => ?))
            on conflict (idempotency_key) do update
                set fingerprint = excluded.fingerprint,
                    order_id = excluded.order_id,
                    in_flight_until = excluded.in_flight_until,
                    created_at = case when k.expires_at <= now() then excluded.created_at else k.created_at end,
                    expires_at = case when k.expires_at <= now() then excluded.expires_at else k.expires_at end
                where k.expires_at <= now()
                   or (k.fingerprint = excluded.fingerprint and (k.in_flight_until is null or k.in_flight_until <= now()))
            returning k.in_flight_until""";

    private static final String CONFLICTING = "select fingerprint from idempotency_key where idempotency_key = ?";

    /** Only the claim this request holds: a lease that ran out and was taken over is not released. */
    private static final String RELEASE = """
            update idempotency_key set in_flight_until = null where idempotency_key = ? and in_flight_until = ?""";

    private static final String EXPIRED = """
            delete from idempotency_key
            where expires_at <= now() and (in_flight_until is null or in_flight_until <= now())""";

    private final JdbcTemplate jdbc;
    private final IdempotencyProperties properties;

    JdbcIdempotencyKeys(JdbcTemplate jdbc, IdempotencyProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public Claim claim(String key, String fingerprint, UUID orderId) {
        List<OffsetDateTime> claimed;
        List<String> held;
        try {
            claimed = jdbc.queryForList(CLAIM, OffsetDateTime.class, key, fingerprint, orderId,
                    seconds(properties.inFlightLease()), seconds(properties.ttl()));
            held = claimed.isEmpty() ? jdbc.queryForList(CONFLICTING, String.class, key) : List.of();
        }
        catch (DataAccessException unavailable) {
            throw new StoreUnavailableException(unavailable);
        }
        if (!claimed.isEmpty()) {
            OffsetDateTime lease = claimed.getFirst();
            return () -> release(key, lease);
        }
        if (!held.isEmpty() && !held.getFirst().equals(fingerprint)) {
            throw new KeyReusedException(key);
        }
        // Held by another request (or deleted by the cleanup a moment ago): the client retries.
        throw new KeyInFlightException(key);
    }

    private void release(String key, OffsetDateTime lease) {
        try {
            jdbc.update(RELEASE, key, lease);
        }
        catch (DataAccessException failed) {
            log.warn("Idempotency-Key {} not released ({}); it is free again when its lease of {} runs out", key,
                    failed.getMostSpecificCause().toString(), properties.inFlightLease());
        }
    }

    /** Deletes the keys whose 24 h are over, every {@code pedidos.idempotency.cleanup-interval}. */
    @Scheduled(fixedDelayString = "${pedidos.idempotency.cleanup-interval}",
            initialDelayString = "${pedidos.idempotency.cleanup-interval}")
    void deleteExpired() {
        try {
            int deleted = jdbc.update(EXPIRED);
            log.info("Deleted {} expired Idempotency-Keys", deleted);
        }
        catch (DataAccessException failed) {
            log.warn("Expired Idempotency-Keys not deleted ({}); next try in {}", failed.getMostSpecificCause().toString(),
                    properties.cleanupInterval());
        }
    }

    private static double seconds(java.time.Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** The store's settings, and the scheduler of its cleanup. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IdempotencyProperties.class)
    @EnableScheduling
    static class Settings {
    }
}
