"""Dead letters on either bus: a consumer that fails on a record 3 times sends it to its dead-letter queue (SQS)
or topic (Kafka) while the rest of the batch goes on; listed and redriven, it is then processed, by that
consumer alone."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks_dev.dead_letters import DeadLetters, QueueDeadLetters, TopicDeadLetters
from functions import registry
from tests.kafka_support import KafkaPipeline, skip_dead_letters
from tests.support import Api, mailbox

CONSUMER = "consumers-users-user-created"
REFUSED = "rex@example.com"


def _refusing(monkeypatch: pytest.MonkeyPatch, attempts: Counter[str]) -> Callable[[], None]:
    """The users consumer fails on one address (as when the mail provider refuses it); returns the cure."""
    declared = next(d for d in registry.subscriptions() if d.function_id == CONSUMER)
    real = declared.declaration.function
    assert real is not None

    def refuse(event: Any, envelope: Any) -> None:
        attempts[event.email] += 1
        if event.email == REFUSED:
            raise RuntimeError("the mail provider refuses this address")
        real(event, envelope)

    monkeypatch.setattr(declared.declaration, "function", refuse)
    return lambda: monkeypatch.setattr(declared.declaration, "function", real)


def _until_dead_lettered(bus: Any, letters: DeadLetters) -> list[Any]:
    """Delivers until the dead letter shows: SQS redelivers after the visibility timeout (1 s in the tests), the
    Kafka poller retries at once."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        bus.drain()
        found = letters.list(CONSUMER)
        if found:
            return found
        time.sleep(1.1)
    raise AssertionError("nothing was dead-lettered")


def test_a_record_failing_three_times_is_dead_lettered_then_redriven(
    bus: Any, bus_api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    letters: DeadLetters = TopicDeadLetters() if isinstance(bus, KafkaPipeline) else QueueDeadLetters()
    if isinstance(bus, KafkaPipeline):
        skip_dead_letters(CONSUMER)
    attempts: Counter[str] = Counter()
    cure = _refusing(monkeypatch, attempts)
    for name in ("ann", "rex", "bob"):
        assert bus_api.sign_up(f"{name}@example.com", name).status == 201

    [letter] = _until_dead_lettered(bus, letters)
    assert attempts == {"ann@example.com": 1, REFUSED: 3, "bob@example.com": 1}
    assert sorted(m["to"] for m in mailbox()) == ["ann@example.com", "bob@example.com"]  # the batch went on
    assert database.execute("SELECT count(*) FROM posts.authors").fetchone() == {"count": 3}  # other consumers too
    refused_event = database.execute(
        "SELECT id FROM messaging.outbox WHERE type = 'user_created' AND envelope->'payload'->>'email' = %s",
        (REFUSED,),
    ).fetchone()
    assert (letter.event_type, letter.event_id) == ("user_created", str(refused_event["id"]))  # type: ignore[index]

    cure()
    assert letters.redrive(CONSUMER) == 1
    assert bus.drain() == 1  # to the users consumer alone
    assert sorted(m["to"] for m in mailbox()) == ["ann@example.com", "bob@example.com", REFUSED]
    assert letters.list(CONSUMER) == []
    assert letters.redrive(CONSUMER) == 0
    inbox = database.execute("SELECT consumer, count(*) FROM messaging.inbox GROUP BY consumer").fetchall()
    assert {row["count"] for row in inbox} == {3}
