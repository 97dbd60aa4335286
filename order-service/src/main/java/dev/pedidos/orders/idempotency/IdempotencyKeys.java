package dev.pedidos.orders.idempotency;

import java.util.UUID;

/**
 * The Idempotency-Key store of {@code POST /orders}, after draft-ietf-httpapi-idempotency-key-header-06
 * ("The Idempotency-Key HTTP Header Field", IETF HTTPAPI working group, February 2025) and Stripe's
 * practice: each key is stored with a fingerprint of the request body for 24 hours.
 *
 * <ul>
 * <li>a new key, or the same key with the same body after the earlier request was answered:
 * {@link #claim} returns a {@link Claim}, and the caller publishes (again: an order answered
 * {@code 503} still gets written);</li>
 * <li>the same key with a different body: {@link KeyReusedException} ({@code 422}, the draft's
 * "Error Scenarios");</li>
 * <li>the same key while another request with it is still being answered:
 * {@link KeyInFlightException} ({@code 409}, likewise);</li>
 * <li>the store unreachable: {@link StoreUnavailableException} ({@code 503} with {@code Retry-After}).</li>
 * </ul>
 */
public interface IdempotencyKeys {

    /**
     * Claims a key for one request.
     *
     * @param key         the {@code Idempotency-Key} header (1 to 255 characters)
     * @param fingerprint 64 hex digits, SHA-256 of the request body in a canonical form
     * @param orderId     the order the key names
     * @return the claim, to {@linkplain Claim#close() close} once the request is answered, however
     * @throws KeyReusedException        the key was used with another fingerprint within 24 h
     * @throws KeyInFlightException      another request holds the key
     * @throws StoreUnavailableException the database could not be reached or failed
     */
    Claim claim(String key, String fingerprint, UUID orderId);

    /** A key held by one request; {@link #close()} lets the next request with it through. */
    interface Claim extends AutoCloseable {

        /** Releases the key; never throws (a failure is logged, and the lease runs out by itself). */
        @Override
        void close();
    }

    /** The key was used with a different request body: 422. */
    final class KeyReusedException extends RuntimeException {

        /** @param key the reused key */
        public KeyReusedException(String key) {
            super("Idempotency-Key " + key + " was used with a different order");
        }
    }

    /** Another request with the key is still being answered: 409, retry later. */
    final class KeyInFlightException extends RuntimeException {

        /** @param key the key */
        public KeyInFlightException(String key) {
            super("A request with Idempotency-Key " + key + " is still being answered");
        }
    }

    /** The store could not be reached or failed: 503 with {@code Retry-After}. */
    final class StoreUnavailableException extends RuntimeException {

        /** @param cause what the database or the pool threw */
        public StoreUnavailableException(Throwable cause) {
            super("Idempotency-Key store unavailable: " + cause, cause);
        }
    }
}
