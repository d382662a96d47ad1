"""The consumers' inbox (messaging.inbox): the event ids each consumer has processed, so that a redelivered
event is a no-op. An id is needed only while its event can still come back, so ids older than that are pruned.
"""

from __future__ import annotations

from cryptotalks import db

# An event can come back as long as a queue or its dead-letter queue keeps it: SQS keeps a message 4 days by
# default and the dead-letter queues keep theirs 14 days, and a redrive from there sends it to its consumer
# again. Ids are kept twice the longest of these, so a redriven event always finds its id.
REDELIVERY_WINDOW_DAYS = 14
RETENTION_DAYS = 2 * REDELIVERY_WINDOW_DAYS


def prune(kept_days: int = RETENTION_DAYS, batch_size: int = 5000) -> int:
    """Deletes the ids processed more than `kept_days` ago, a batch per transaction; returns how many."""
    if kept_days <= REDELIVERY_WINDOW_DAYS:
        raise ValueError(f"ids must be kept longer than the {REDELIVERY_WINDOW_DAYS}-day redelivery window")
    return db.delete_in_batches(
        "DELETE FROM messaging.inbox WHERE (consumer, event_id) IN (SELECT consumer, event_id"
        " FROM messaging.inbox WHERE processed_at < now() - make_interval(days => %s) LIMIT %s)",
        (kept_days,),
        batch_size,
    )
