"""Business rules of the audit context."""

from __future__ import annotations

from typing import Any

from cryptotalks import db
from cryptotalks.audit import data
from cryptotalks.events.catalogue import ActionLog
from cryptotalks.events.envelope import Envelope


def record_action(entry: ActionLog, envelope: Envelope) -> None:
    with db.transaction() as tx:
        data.insert_action(
            tx.conn,
            envelope.id,
            envelope.source,
            entry.event,
            entry.status.value,
            entry.message,
            entry.timestamp,
            {"userId": str(entry.userId)} if entry.userId else {},
        )


def latest(limit: int = 20) -> list[dict[str, Any]]:
    with db.transaction() as tx:
        return data.latest(tx.conn, limit)
