-- The journey view of order-service (GET /orders/{id}, GET /orders): a projection of pedidos-pendentes
-- (OrderCreated) and pedidos-status (OrderStatusChanged), written only by the consumer group order-journey,
-- one transaction per poll. Everything here can be rebuilt by replaying the two topics.
-- (V2 is the Idempotency-Key store's.)

-- One row per order, created by whichever of its events arrives first: a status step may overtake the
-- OrderCreated (two topics, two consumers), then the order's own columns stay null until it arrives.
create table journey_order (
    order_id         uuid        primary key,
    -- Insertion order: newest-first listing and keyset paging (GET /orders, opaque cursor).
    seq              bigint      generated always as identity unique,
    -- ACCEPTED, INVOICED, CONFIRMED, COMPLETED or DEAD_LETTERED: derived from the steps (JourneyStatus).
    status           text        not null default 'ACCEPTED',
    -- The groups (billing, notification) that dead-lettered the order and have not processed it since.
    dead_lettered_by text[]      not null default '{}',
    customer_id      text,                -- null for a guest checkout
    customer_name    text,
    customer_email   text,
    -- [{"sku", "name", "quantity", "unitPrice"}] as in the event; amounts as exact JSON numbers.
    items            jsonb,
    currency         text,
    total_amount     numeric,
    -- The event's occurredAt; null until the OrderCreated arrived.
    accepted_at      timestamptz,
    -- W3C trace ID (32 hex digits) of the OrderCreated record's traceparent header.
    trace_id         text
);
create index journey_order_by_status on journey_order (status, seq);

-- One row per step of an order's journey.
create table journey_step (
    -- Monotonically increasing in commit order of a poll: the SSE event ID of GET /orders/stream (Last-Event-ID).
    id               bigserial   primary key,
    order_id         uuid        not null,
    -- ACCEPTED, INVOICED, CONFIRMATION_SENT, DEAD_LETTERED or REPLAYED.
    stage            text        not null,
    -- What makes a step the same step again (a redelivered record, a republished status, a duplicate POST):
    -- the stage and group for ACCEPTED, INVOICED, CONFIRMATION_SENT; the dead-letter record's coordinates for
    -- DEAD_LETTERED and REPLAYED (a record dead-lettered twice is two steps). See JourneyStep.dedupeKey.
    dedupe_key       text        not null,
    at               timestamptz not null,
    -- The service and consumer group that took the step; group null for ACCEPTED (order-service).
    service          text        not null,
    group_id         text,
    -- The record the step is about: the OrderCreated for ACCEPTED, else the record the group processed.
    topic            text        not null,
    "partition"      integer     not null,
    "offset"         bigint      not null,
    trace_id         text,
    -- The stage's detail, e.g. {"invoiceNumber", "total", "currency"}; {} when none.
    detail           jsonb       not null,
    -- When the view wrote it (the statement's clock; the commit follows within milliseconds).
    recorded_at      timestamptz not null default clock_timestamp(),
    unique (order_id, dedupe_key)
);
create index journey_step_by_order on journey_step (order_id, id);
