-- The inbox pruning job deletes the ids processed before its retention (cryptotalks.messaging.inbox.prune):
-- found by this index, not a scan of every id ever processed.
CREATE INDEX inbox_processed ON messaging.inbox (processed_at);
