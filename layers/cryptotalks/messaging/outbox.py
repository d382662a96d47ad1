"""Publishing: the event is written to the outbox inside the caller's transaction and sent after commit, with
the transaction's other events in one call to the bus and one statement marking them sent.

If the bus is unreachable after commit, the row stays unsent and the outbox relay sends it later, so a
committed change never loses its events.
"""

from __future__ import annotations

import time

import psycopg

from cryptotalks import db
from cryptotalks.events.envelope import DomainEvent, Envelope
from cryptotalks.events.publisher import publisher
from cryptotalks.observability import logger


def publish(event: DomainEvent, source: str) -> Envelope:
    """`event` joins the caller's transaction; it carries the correlation id of what is being handled (the
    request's, or the consumed event's), so the story of one request is told by one id."""
    envelope = Envelope.wrap(event, source, correlation_id=logger.get_correlation_id())
    tx = db.current()
    tx.conn.execute(
        "INSERT INTO messaging.outbox (id, type, source, envelope) VALUES (%s, %s, %s, %s::jsonb)",
        (envelope.id, envelope.type, envelope.source, envelope.model_dump_json()),
    )
    tx.on_commit_batched(send, envelope)
    return envelope


def send(envelopes: list[Envelope]) -> int:
    """Hand envelopes to the bus and mark those it accepted; returns how many were sent."""
    try:
        sent = publisher().publish(envelopes)
    except Exception:
        logger.exception("publishing failed; the outbox relay will retry", extra={"count": len(envelopes)})
        return 0
    if sent:
        with db.connection() as conn:
            # Bookkeeping: were this commit lost in a crash, the relay would send the events again, which the
            # consumers (idempotent by event id) take once. So it does not wait for the WAL to reach the disk. The
            # two statements go as one query (parameters bound here): one round trip, and after a request's commit
            # one transaction of their own; in the relay's transaction, they join it.
            psycopg.ClientCursor(conn).execute(
                "SET LOCAL synchronous_commit = off;"
                " UPDATE messaging.outbox SET sent_at = now() WHERE id = ANY(%s) AND sent_at IS NULL",
                ([e.id for e in sent],),
            )
    return len(sent)


def relay(older_than_seconds: float = 30, batch_size: int = 500, until: float | None = None) -> int:
    """Send what commit-time publishing left unsent; rows are locked so two relays never double-send.

    Oldest first, a batch per transaction, until nothing is left, the bus refuses, or `until` (a
    `time.monotonic()` instant: a function's remaining time) has passed; the next run goes on from there."""
    total = 0
    while until is None or time.monotonic() < until:
        with db.transaction() as tx:
            rows = tx.conn.execute(
                "SELECT envelope FROM messaging.outbox"
                " WHERE sent_at IS NULL AND created_at < now() - make_interval(secs => %s)"
                " ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED",
                (older_than_seconds, batch_size),
            ).fetchall()
            if not rows:
                return total
            envelopes = [Envelope.model_validate(row["envelope"]) for row in rows]
            sent = send(envelopes)
        total += sent
        if sent < len(envelopes):
            return total
    return total


def prune(kept_days: int = 7, batch_size: int = 5000) -> int:
    """Deletes the rows sent more than `kept_days` ago, a batch per transaction; returns how many."""
    return db.delete_in_batches(
        "DELETE FROM messaging.outbox WHERE id IN (SELECT id FROM messaging.outbox"
        " WHERE sent_at < now() - make_interval(days => %s) LIMIT %s)",
        (kept_days,),
        batch_size,
    )


def oldest_unsent_age_seconds() -> float:
    """How long the oldest unsent event has waited, 0 when none waits: it grows while the bus refuses events."""
    with db.transaction() as tx:
        row = tx.conn.execute(
            "SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age"
            " FROM messaging.outbox WHERE sent_at IS NULL"
        ).fetchone()
    return float(row["age"]) if row else 0.0
