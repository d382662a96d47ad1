-- The relay job deletes rows sent a week ago (cryptotalks.messaging.outbox.prune): found by this index, not a scan.
CREATE INDEX outbox_sent ON messaging.outbox (sent_at) WHERE sent_at IS NOT NULL;
