-- The sent log of notification-consumer (DESIGN G5): one row per order whose confirmation e-mail the
-- SMTP server accepted. A row is written only after the server took the e-mail, and an order with a
-- row is not e-mailed again; the primary key keeps the first row when two deliveries race.
create table sent_notification (
    order_id         uuid        primary key,
    -- <order-{order_id}@pedidos.dev>, RFC 5322 section 3.6.4: the same for every e-mail about the order
    message_id       text        not null,
    recipient        text        not null,
    subject          text        not null,
    sent_at          timestamptz not null,
    -- where the order was read: partition and offset in the source topic (pedidos.source-topic)
    source_partition integer     not null,
    source_offset    bigint      not null
);
