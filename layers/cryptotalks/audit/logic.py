"""Business rules of the audit context: the action log, written from the `log_*_action` events."""

from __future__ import annotations

from cryptotalks.audit.models import ActionRecord
from cryptotalks.audit.store import store
from cryptotalks.events.catalogue import ActionLog
from cryptotalks.events.envelope import Envelope


def record_action(entry: ActionLog, envelope: Envelope) -> None:
    store().record(
        ActionRecord(
            event_id=envelope.id,
            source=envelope.source,
            event=entry.event,
            status=entry.status.value,
            message=entry.message,
            timestamp=entry.timestamp,
            payload={"userId": str(entry.userId)} if entry.userId else {},
        )
    )


def latest(limit: int = 20) -> list[ActionRecord]:
    """The newest records first."""
    return store().latest(limit)
