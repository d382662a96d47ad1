"""The outbox: events committed with their change are sent after commit, or later by the relay."""

from __future__ import annotations

import os
from collections import Counter

import boto3
import pytest

from cryptotalks import db
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus, LogUserAction
from cryptotalks.events.publisher import publisher
from cryptotalks.messaging import outbox
from cryptotalks_dev.aws import provision
from cryptotalks_dev.lambda_context import LocalLambdaContext
from functions import registry
from functions.jobs import outbox_relay
from tests.support import Api


def _unsent(database: db.Connection) -> int:
    row = database.execute("SELECT count(*) FROM messaging.outbox WHERE sent_at IS NULL").fetchone()
    return int(row["count"]) if row else 0


def _take_the_bus_down() -> None:
    events = boto3.client("events")
    bus = os.environ["EVENT_BUS_NAME"]
    for rule in events.list_rules(EventBusName=bus)["Rules"]:
        events.remove_targets(Rule=rule["Name"], EventBusName=bus, Ids=["queue"])
        events.delete_rule(Name=rule["Name"], EventBusName=bus)
    events.delete_event_bus(Name=bus)


def test_events_are_marked_sent_after_commit(api: Api, database: db.Connection) -> None:
    api.sign_up("pia@example.com", "pia")
    assert database.execute("SELECT count(*) FROM messaging.outbox").fetchone() == {"count": 3}
    assert _unsent(database) == 0


def test_a_requests_events_go_to_the_bus_in_one_call(api: Api, database: db.Connection) -> None:
    calls: list[int] = []
    bus_client = publisher()._client  # the EventBridge client the functions publish with
    count = lambda params, **_: calls.append(len(params["Entries"]))  # noqa: E731
    bus_client.meta.events.register("provide-client-params.events.PutEvents", count)
    try:
        api.sign_up("ida@example.com", "ida")
    finally:
        bus_client.meta.events.unregister("provide-client-params.events.PutEvents", count)
    assert calls == [3]  # user_created, crypto_for_user_created and the action log: one PutEvents
    assert _unsent(database) == 0


def test_large_events_go_in_calls_of_at_most_256_kb(api: Api, database: db.Connection) -> None:
    """Four 100 KB entries: one PutEvents call may carry 256 KB of entries, so they go two by two."""
    sizes: list[list[int]] = []
    bus_client = publisher()._client
    measure = lambda params, **_: sizes.append([len(e["Detail"]) for e in params["Entries"]])  # noqa: E731
    bus_client.meta.events.register("provide-client-params.events.PutEvents", measure)
    try:
        with db.transaction():
            for _ in range(4):
                publish(LogUserAction(event="BIG", status=ActionStatus.SUCCESS, message="x" * 100_000), "users")
    finally:
        bus_client.meta.events.unregister("provide-client-params.events.PutEvents", measure)
    assert [len(call) for call in sizes] == [2, 2]
    assert all(sum(call) < 256 * 1024 for call in sizes)
    assert _unsent(database) == 0


def test_with_the_bus_down_sign_ups_commit_and_the_relay_sends_later(api: Api, database: db.Connection) -> None:
    _take_the_bus_down()
    for n in range(5):
        assert api.sign_up(f"user{n}@example.com", f"user{n}").status == 201
    assert _unsent(database) == 15
    assert outbox.relay(older_than_seconds=0) == 0  # still down: nothing lost, nothing marked sent
    assert api.pipeline.drain() == 0

    provision(os.environ["EVENT_BUS_NAME"])  # the bus is back
    assert outbox.relay(older_than_seconds=30) == 0  # fresh events are left to commit-time publishing
    assert outbox.relay(older_than_seconds=0) == 15
    assert _unsent(database) == 0
    api.pipeline.drain()
    assert database.execute("SELECT count(*) FROM users.settings").fetchone() == {"count": 5}
    # Each event was processed once by each of its subscribers.
    subscribers = Counter(t for d in registry.subscriptions() for t in d.declaration.event_types)
    expected = sum(subscribers[row["type"]] for row in database.execute("SELECT type FROM messaging.outbox"))
    assert database.execute("SELECT count(*) FROM messaging.inbox").fetchone() == {"count": expected}
    assert outbox.relay(older_than_seconds=0) == 0


def test_the_relay_job_reports_what_it_sent_and_how_long_the_oldest_unsent_event_waits(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    emitted: dict[str, float] = {}
    monkeypatch.setattr(
        outbox_relay.metrics, "add_metric", lambda name, unit, value, **_: emitted.__setitem__(name, value)
    )
    _take_the_bus_down()
    api.sign_up("ada@example.com", "ada")
    database.execute("UPDATE messaging.outbox SET created_at = created_at - interval '10 minutes'")
    outbox_relay.handler({}, LocalLambdaContext("jobs-outbox-relay"))
    assert emitted[outbox_relay.RELAYED_METRIC] == 0
    assert 600 <= emitted[outbox_relay.AGE_METRIC] < 660

    provision(os.environ["EVENT_BUS_NAME"])
    outbox_relay.handler({}, LocalLambdaContext("jobs-outbox-relay"))
    assert emitted == {outbox_relay.RELAYED_METRIC: 3, outbox_relay.AGE_METRIC: 0}
