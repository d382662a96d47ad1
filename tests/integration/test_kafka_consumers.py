"""Consumers behind Kafka, and behind either bus: the MSK record shape, partial failures, one effect per event."""

from __future__ import annotations

import base64
import json
from collections import Counter
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks.events.discovery import every_event_type
from cryptotalks.events.envelope import Envelope
from cryptotalks.messaging import outbox
from cryptotalks.messaging.outbox import publish
from cryptotalks_dev.event_catalogue import publishers
from cryptotalks_dev.kafka_pollers import msk_event
from cryptotalks_dev.lambda_context import LocalLambdaContext
from functions import registry
from tests.events_support import CountingConsumers, sample_event
from tests.kafka_support import KafkaPipeline
from tests.support import Api, mailbox


def test_every_event_type_delivered_twice_has_one_effect(
    bus: Any, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each event type every consumer takes, published and then published again (a producer's retry): each
    consumer runs once per event. New event types and consumers are covered as soon as they are declared."""
    consumers = CountingConsumers(monkeypatch)
    taken = Counter(t for d in registry.subscriptions() for t in d.declaration.event_types)
    with db.transaction():
        published = [
            publish(sample_event(every_event_type()[t]), publishers().get(t, ["users"])[0]) for t in sorted(taken)
        ]
    bus.drain()
    assert outbox.send(published) == len(published)
    bus.drain()
    expected = {
        (d.function_id, e.id)
        for d in registry.subscriptions()
        for e in published
        if e.type in d.declaration.event_types
    }
    assert consumers.runs == dict.fromkeys(expected, 1)
    assert database.execute("SELECT count(*) FROM messaging.inbox").fetchone() == {"count": len(expected)}


def test_the_msk_record_shape_delivered_twice_has_one_effect(kafka_api: Api, database: db.Connection) -> None:
    kafka_api.sign_up("mia@example.com", "mia")
    pipeline: KafkaPipeline = kafka_api.pipeline  # type: ignore[assignment]
    for function_id in ("consumers-users-user-created", "consumers-crypto-crypto-for-user-created"):
        poller = pipeline.poller_of(function_id)
        event = msk_event(pipeline.take(function_id))
        [(partition, [record])] = event["records"].items()
        assert event["eventSource"] == "aws:kafka" and partition.startswith("cryptotalks.users-")
        assert json.loads(base64.b64decode(record["value"]))["type"] in poller.event_types
        for _ in range(2):
            assert poller.handler(event, LocalLambdaContext(function_id)) == {"batchItemFailures": []}
    assert [m["to"] for m in mailbox()] == ["mia@example.com"]
    assert database.execute("SELECT count(*) FROM users.settings").fetchone() == {"count": 1}
    assert database.execute("SELECT count(*) FROM crypto.favorite_lists").fetchone() == {"count": 1}


def test_a_failing_record_is_reported_by_partition_and_offset(kafka_api: Api, database: db.Connection) -> None:
    kafka_api.sign_up("nia@example.com", "nia")
    kafka_api.sign_up("oda@example.com", "oda")
    pipeline: KafkaPipeline = kafka_api.pipeline  # type: ignore[assignment]
    poller = pipeline.poller_of("consumers-users-user-created")
    event = msk_event(pipeline.take("consumers-users-user-created"))
    records = [r for batch in event["records"].values() for r in batch]
    assert len(records) == 2
    broken = records[0]
    broken["value"] = base64.b64encode(json.dumps({"not": "an envelope"}).encode()).decode()
    answer = poller.handler(event, LocalLambdaContext("consumer"))
    failure = {"partition": f"{broken['topic']}-{broken['partition']}", "offset": broken["offset"]}
    assert answer == {"batchItemFailures": [{"itemIdentifier": failure}]}
    assert len(mailbox()) == 1


def test_the_whole_sign_up_flows_through_kafka(kafka_api: Api, database: db.Connection) -> None:
    kafka_api.signed_up_and_confirmed("pam@example.com", "pam")
    assert kafka_api.sign_in("pam@example.com").status == 201
    kafka_api.pipeline.drain()
    logged = database.execute("SELECT event, source FROM audit.action_log ORDER BY occurred_at").fetchall()
    assert [row["event"] for row in logged][:2] == ["SIGN_UP", "CONFIRMATION"]
    assert database.execute("SELECT count(*) FROM posts.authors").fetchone() == {"count": 1}
    envelopes = [
        Envelope.model_validate(r["envelope"]) for r in database.execute("SELECT envelope FROM messaging.outbox")
    ]
    assert all(e.type in every_event_type() for e in envelopes)
