-- The invoice ledger of billing: at most one invoice per order ID (DESIGN G4).
-- Written only by billing-consumer, one transaction per poll of its Kafka consumer.
create table invoice (
    -- Surrogate key in insertion order: newest-first listing and keyset paging (GET /invoices).
    id               bigint generated always as identity primary key,
    -- For people: INV- and the first 12 hex digits of the order ID.
    number           text        not null,
    -- The guarantee: a redelivered or republished order finds its row here (INSERT ... ON CONFLICT DO NOTHING).
    order_id         uuid        not null unique,
    customer_id      text,                -- null for a guest checkout
    customer_name    text        not null,
    customer_email   text        not null,
    -- [{"sku", "name", "quantity", "unitPrice", "lineTotal"}] in the order's item order; amounts as exact JSON numbers.
    lines            jsonb       not null,
    -- Exact decimal in currency, unconstrained scale: never rounded by the column.
    total            numeric     not null check (total >= 0),
    -- ISO 4217 code.
    currency         text        not null,
    -- When the order was accepted (the event's occurredAt).
    issued_at        timestamptz not null,
    -- SHA-256 (hex) of the invoice content (customer, lines, total, currency): equal for a duplicate, different for a
    -- conflict. See Invoices.fingerprint.
    fingerprint      text        not null check (length(fingerprint) = 64),
    -- The Kafka record the invoice was issued from (topic pedidos-pendentes).
    source_partition integer     not null,
    source_offset    bigint      not null,
    -- When the ledger recorded it: start of the inserting transaction, database clock.
    recorded_at      timestamptz not null default now()
);
