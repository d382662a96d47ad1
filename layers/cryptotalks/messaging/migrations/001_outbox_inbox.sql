CREATE SCHEMA IF NOT EXISTS messaging;

-- Every event is written here in the transaction that caused it; sent_at is set once the bus took it.
CREATE TABLE messaging.outbox (
    id          uuid PRIMARY KEY,
    type        text NOT NULL,
    source      text NOT NULL,
    envelope    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON messaging.outbox (created_at) WHERE sent_at IS NULL;

-- One row per (consumer, event) processed, written in the consumer's own transaction: redelivery is a no-op.
CREATE TABLE messaging.inbox (
    consumer      text NOT NULL,
    event_id      uuid NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
