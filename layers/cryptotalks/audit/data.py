"""SQL of the audit context (schema `audit`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from cryptotalks.audit.models import ActionRecord
from cryptotalks.db import Connection


def insert_action(
    conn: Connection,
    event_id: uuid.UUID,
    source: str,
    event: str,
    status: str,
    message: str,
    occurred_at: datetime,
    payload: dict[str, Any],
) -> None:
    conn.execute(
        "INSERT INTO audit.action_log (event_id, source, event, status, message, occurred_at, payload)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING",
        (event_id, source, event, status, message, occurred_at, Jsonb(payload)),
    )


def latest(conn: Connection, limit: int) -> list[ActionRecord]:
    return (
        conn.cursor(row_factory=class_row(ActionRecord))
        .execute(
            "SELECT event_id, source, event, status, message, occurred_at AS timestamp, payload FROM audit.action_log"
            " ORDER BY occurred_at DESC, id DESC LIMIT %s",
            (limit,),
        )
        .fetchall()
    )
