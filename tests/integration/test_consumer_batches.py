"""A consumer whose effects stay in the database takes a batch in one transaction, on either bus: one inbox statement
for the batch's ids, a savepoint per event. A failing event leaves nothing behind (effect, inbox row, the events it
published) and is reported alone; the rest of its batch stays, and what was processed before is skipped."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks.crypto import logic
from cryptotalks.crypto.events import UpdateCoin
from cryptotalks.events import publish
from cryptotalks.events.catalogue import CryptoForUserCreated
from cryptotalks.events.consumer import batch_records, record_key, record_kind, unwrap
from cryptotalks_dev.kafka_pollers import msk_event
from cryptotalks_dev.lambda_context import LocalLambdaContext
from cryptotalks_dev.pollers import sqs_event

FAVORITE_LISTS = "consumers-crypto-crypto-for-user-created"
DESCRIPTIONS = "consumers-crypto-update-coin"


def _pending(bus: Any, function_id: str) -> list[Any]:
    """What the bus holds for the consumer now, taken from it (SQS messages or Kafka records)."""
    poller = bus.poller_of(function_id)
    if hasattr(bus, "take"):
        return list(bus.take(function_id))
    return list(
        poller.sqs.receive_message(QueueUrl=poller.queue.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]).get(
            "Messages", []
        )
    )


def _batch_event(bus: Any, function_id: str, pending: list[Any]) -> dict[str, Any]:
    if hasattr(bus, "take"):
        return msk_event(pending)
    return sqs_event(pending, bus.poller_of(function_id).queue_arn)


def _deliver(bus: Any, function_id: str, event: dict[str, Any]) -> dict[str, Any]:
    return bus.poller_of(function_id).handler(event, LocalLambdaContext(function_id))  # type: ignore[no-any-return]


def _user_ids(event: dict[str, Any]) -> list[uuid.UUID]:
    return [uuid.UUID(unwrap(r).payload["userId"]) for r in batch_records(event, record_kind(event))]


def _published_for(*user_ids: uuid.UUID) -> None:
    for user_id in user_ids:
        with db.transaction():
            publish(CryptoForUserCreated(userId=user_id), "users")


def _lists(database: db.Connection) -> set[uuid.UUID]:
    return {row["user_id"] for row in database.execute("SELECT user_id FROM crypto.favorite_lists").fetchall()}


def _inbox(database: db.Connection) -> set[uuid.UUID]:
    rows = database.execute(
        "SELECT event_id FROM messaging.inbox WHERE consumer = %s", ("crypto.create_favorite_list",)
    )
    return {row["event_id"] for row in rows.fetchall()}


def test_a_failing_event_leaves_no_trace_and_the_rest_of_its_batch_stays(
    bus: Any, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, failing, last = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _published_for(first, failing, last)
    create_favorite_list = logic.create_favorite_list

    def creating_then_failing(event: CryptoForUserCreated) -> None:
        """The effect, an event published, then (for one user) a failure."""
        create_favorite_list(event)
        publish(UpdateCoin(coinId=f"coin-of-{event.userId}"), "crypto")
        if event.userId == failing:
            raise RuntimeError("the effect failed after writing and publishing")

    monkeypatch.setattr(logic, "create_favorite_list", creating_then_failing)
    event = _batch_event(bus, FAVORITE_LISTS, _pending(bus, FAVORITE_LISTS))
    records = batch_records(event, record_kind(event))
    assert sorted(_user_ids(event)) == sorted([first, failing, last])

    answer = _deliver(bus, FAVORITE_LISTS, event)

    [failed_record] = [r for r in records if uuid.UUID(unwrap(r).payload["userId"]) == failing]
    [reported] = answer["batchItemFailures"]
    key = record_key(failed_record)
    assert reported["itemIdentifier"] == (
        key if isinstance(key, str) else {"partition": f"{key[0]}-{key[1]}", "offset": key[2]}
    )
    assert _lists(database) == {first, last}
    assert _inbox(database) == {unwrap(r).id for r in records if r is not failed_record}
    sent = _pending(bus, DESCRIPTIONS)
    described = [json.loads(m["Body"])["detail"] if isinstance(m, dict) else json.loads(m.value()) for m in sent]
    assert sorted(e["payload"]["coinId"] for e in described) == sorted(f"coin-of-{u}" for u in (first, last))

    # Delivered again (its effect works now), only the failed event runs.
    monkeypatch.setattr(logic, "create_favorite_list", create_favorite_list)
    assert _deliver(bus, FAVORITE_LISTS, event) == {"batchItemFailures": []}
    assert _lists(database) == {first, failing, last}
    assert _inbox(database) == {unwrap(r).id for r in records}


def test_a_batch_skips_what_was_processed_before_and_runs_the_rest(bus: Any, database: db.Connection) -> None:
    early, late = uuid.uuid4(), uuid.uuid4()
    _published_for(early)
    first_batch = _pending(bus, FAVORITE_LISTS)
    assert _deliver(bus, FAVORITE_LISTS, _batch_event(bus, FAVORITE_LISTS, first_batch)) == {"batchItemFailures": []}
    _published_for(late)
    mixed = _batch_event(bus, FAVORITE_LISTS, [*first_batch, *_pending(bus, FAVORITE_LISTS)])
    assert sorted(_user_ids(mixed)) == sorted([early, late])

    assert _deliver(bus, FAVORITE_LISTS, mixed) == {"batchItemFailures": []}

    assert _lists(database) == {early, late}
    assert len(_inbox(database)) == 2


def test_a_rolled_back_savepoint_sends_none_of_its_events(pipeline: Any, database: db.Connection) -> None:
    """What a savepoint published goes with it when it rolls back, though the outer transaction commits."""
    kept, dropped = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as tx:
        publish(CryptoForUserCreated(userId=kept), "users")
        with pytest.raises(RuntimeError), tx.savepoint():
            publish(CryptoForUserCreated(userId=dropped), "users")
            raise RuntimeError("rolled back")
    sent = _batch_event(pipeline, FAVORITE_LISTS, _pending(pipeline, FAVORITE_LISTS))
    assert _user_ids(sent) == [kept]
    rows = database.execute("SELECT envelope FROM messaging.outbox").fetchall()
    assert [row["envelope"]["payload"]["userId"] for row in rows] == [str(kept)]


def test_a_nested_transaction_is_the_open_one(pipeline: Any, database: db.Connection) -> None:
    """A nested transaction joins the open one (no SAVEPOINT round trips): what it writes commits with it, even when
    it raised and its caller went on; the events it published are not sent."""
    kept, dropped = uuid.uuid4(), uuid.uuid4()
    with db.transaction():
        publish(CryptoForUserCreated(userId=kept), "users")
        with pytest.raises(RuntimeError), db.transaction() as nested:
            nested.conn.execute("INSERT INTO crypto.favorite_lists (user_id) VALUES (%s)", (dropped,))
            publish(CryptoForUserCreated(userId=dropped), "users")
            raise RuntimeError("the caller goes on")
    sent = _batch_event(pipeline, FAVORITE_LISTS, _pending(pipeline, FAVORITE_LISTS))
    assert _user_ids(sent) == [kept]
    assert _lists(database) == {dropped}
