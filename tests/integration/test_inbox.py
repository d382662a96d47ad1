"""The consumers' inbox is pruned by its daily job: ids past the redelivery window go, recent ones stay."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from cryptotalks import db
from cryptotalks.messaging import inbox
from cryptotalks_dev.lambda_context import LocalLambdaContext
from functions import registry
from infra_cdk.eventbridge import DEAD_LETTER_RETENTION


def _processed(database: db.Connection, days_ago: float) -> uuid.UUID:
    event_id = uuid.uuid4()
    database.execute(
        "INSERT INTO messaging.inbox (consumer, event_id, processed_at)"
        " VALUES ('posts.add_author', %s, now() - make_interval(secs => %s))",
        (event_id, days_ago * 86400),
    )
    return event_id


def _kept(database: db.Connection) -> set[uuid.UUID]:
    return {row["event_id"] for row in database.execute("SELECT event_id FROM messaging.inbox").fetchall()}


def test_the_daily_job_forgets_only_ids_past_the_retention(database: db.Connection) -> None:
    old = [_processed(database, inbox.RETENTION_DAYS + 1) for _ in range(3)]
    recent = [_processed(database, inbox.RETENTION_DAYS - 1), _processed(database, 0)]
    declared = next(d for d in registry.jobs() if d.function_id == "jobs-prune-inbox")
    assert declared.declaration.interval_seconds == 86400
    event = json.loads((Path(__file__).parents[2] / "events" / "jobs-prune-inbox.json").read_text())

    assert declared.handler(event, LocalLambdaContext(declared.function_id)) == {"pruned": len(old)}
    assert _kept(database) == set(recent)
    assert declared.handler(event, LocalLambdaContext(declared.function_id)) == {"pruned": 0}


def test_pruning_goes_batch_by_batch(database: db.Connection) -> None:
    for _ in range(5):
        _processed(database, inbox.RETENTION_DAYS + 2)
    assert inbox.prune(batch_size=2) == 5
    assert _kept(database) == set()


def test_the_retention_outlasts_every_redelivery() -> None:
    """A dead letter can be redriven to its consumer as long as its queue keeps it."""
    assert DEAD_LETTER_RETENTION.to_days() <= inbox.REDELIVERY_WINDOW_DAYS
    assert inbox.RETENTION_DAYS > inbox.REDELIVERY_WINDOW_DAYS
    with pytest.raises(ValueError):
        inbox.prune(kept_days=inbox.REDELIVERY_WINDOW_DAYS)
