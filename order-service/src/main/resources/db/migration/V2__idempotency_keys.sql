-- The Idempotency-Key store of order-service (POST /orders, draft-ietf-httpapi-idempotency-key-header-06):
-- one row per key a client sent in the last 24 hours. Written only by POST /orders with an Idempotency-Key;
-- a POST without one never touches this table. Rows past expires_at are deleted by a scheduled cleanup.
create table idempotency_key (
    -- The client's Idempotency-Key header, as sent (1 to 255 characters).
    idempotency_key text        primary key,
    -- SHA-256 (hex) of the parsed order in a canonical form (Orders.fingerprint): the same order sent with other
    -- whitespace, field order or 1.0 for 1.00 has the same fingerprint; any other order does not (422).
    fingerprint     text        not null check (length(fingerprint) = 64),
    -- The order the key names (derived from the key: Orders.orderIdFor), for people reading this table.
    order_id        uuid        not null,
    -- While a request with this key is being answered: until when (a lease, so that a crashed instance
    -- does not hold the key forever). Another request with the key meanwhile gets 409. Null when none is.
    in_flight_until timestamptz,
    -- First seen (database clock).
    created_at      timestamptz not null default now(),
    -- created_at + 24 h: after it the key is forgotten, and may name a new order body.
    expires_at      timestamptz not null
);

-- The cleanup's range scan.
create index idempotency_key_expires_at on idempotency_key (expires_at);
