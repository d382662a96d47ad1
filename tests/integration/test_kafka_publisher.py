"""The Kafka publisher against a real broker: topic per context, the aggregate id as key, the type as header,
the envelope as value; an unreachable broker leaves the events in the outbox without holding up requests."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cryptotalks import db
from cryptotalks.events.catalogue import UserCreated
from cryptotalks.events.discovery import every_event_type
from cryptotalks.events.envelope import Envelope
from cryptotalks.events.kafka import KafkaPublisher, client_config, topic_of
from cryptotalks.messaging import outbox
from cryptotalks_dev.aws import free_port
from tests.kafka_support import KafkaPipeline
from tests.support import Api


def test_a_sign_up_publishes_to_the_users_topic_keyed_by_the_user(kafka_api: Api, database: db.Connection) -> None:
    assert kafka_api.sign_up("kai@example.com", "kai").status == 201
    records = kafka_api.pipeline.records_since_start(topic_of("users"))  # type: ignore[attr-defined]
    assert sorted(dict(m.headers())["type"].decode() for m in records) == [
        "crypto_for_user_created",
        "log_auth_action",
        "user_created",
    ]
    user_id = database.execute("SELECT id FROM users.users").fetchone()["id"]  # type: ignore[index]
    assert {m.key().decode() for m in records} == {str(user_id)}  # one partition: the user's events in order
    assert len({m.partition() for m in records}) == 1
    envelope = json.loads(next(m.value() for m in records if dict(m.headers())["type"] == b"user_created"))
    assert set(envelope) == {"id", "type", "source", "occurredAt", "payload", "correlationId"}
    assert envelope["source"] == "users" and envelope["payload"]["email"] == "kai@example.com"
    assert database.execute("SELECT count(*) FROM messaging.outbox WHERE sent_at IS NULL").fetchone() == {"count": 0}


def test_every_event_type_has_a_key_rule() -> None:
    """The key is the aggregate's id: the field `partition_by` names, else the first field ending in `Id`."""
    keys = {t: model.aggregate_id_field() for t, model in every_event_type().items()}
    assert keys["user_created"] == "userId" and keys["post_created"] == "postId"
    assert keys["update_post_info"] == "postId" and keys["update_coin"] == "coinId"
    for event_type, field in keys.items():
        assert field is None or field in every_event_type()[event_type].model_fields, event_type


def test_an_unreachable_broker_fails_fast_and_the_relay_sends_later(
    kafka: KafkaPipeline, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = client_config()["bootstrap.servers"]
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")  # nothing listens there
    unreachable = KafkaPublisher(timeout_seconds=0.5)
    envelope = Envelope.wrap(UserCreated(userId=uuid.uuid4(), email="x@example.com", username="x"), "users")
    started = time.monotonic()
    assert unreachable.publish([envelope]) == []
    first = time.monotonic() - started
    started = time.monotonic()
    assert unreachable.publish([envelope]) == []  # does not wait again: the brokers were just found unreachable
    assert first >= 0.5 and time.monotonic() - started < 0.05

    with db.transaction() as tx:
        tx.conn.execute(
            "INSERT INTO messaging.outbox (id, type, source, envelope) VALUES (%s, %s, %s, %s)",
            (envelope.id, envelope.type, envelope.source, json.dumps(envelope.model_dump(mode="json"))),
        )
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", working)
    assert outbox.relay(older_than_seconds=0) == 1
    assert kafka.drain() == 4  # the users, posts, crypto and notices consumers of user_created


def test_threads_sharing_the_publisher_each_get_their_own_acknowledgements(kafka: KafkaPipeline) -> None:
    """A publish waits for its own messages' acknowledgements, whoever serves them: from several threads at once,
    each publish answers exactly what it sent."""
    publisher = KafkaPublisher()

    def publish_three(_: int) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
        envelopes = [
            Envelope.wrap(UserCreated(userId=uuid.uuid4(), email="x@example.com", username="x"), "users")
            for _ in range(3)
        ]
        return {e.id for e in envelopes}, {e.id for e in publisher.publish(envelopes)}

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(publish_three, range(60)))
    assert all(acknowledged == sent for sent, acknowledged in answers)
    assert len(set().union(*(sent for sent, _ in answers))) == 180


def test_msk_iam_auth_signs_its_token_from_the_role(monkeypatch: pytest.MonkeyPatch) -> None:
    """MSK's IAM listener cannot be reached from here; what can be checked is the client's configuration and
    that a token is signed (locally, from the credentials) in the shape the brokers take."""
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "b-1.cluster.kafka.us-east-1.amazonaws.com:9098")
    monkeypatch.setenv("KAFKA_AUTH", "iam")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")  # signed locally: any credentials do
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    config = client_config()
    assert (config["security.protocol"], config["sasl.mechanisms"]) == ("SASL_SSL", "OAUTHBEARER")
    assert Path(config["ssl.ca.location"]).is_file()
    token, expires_at = config["oauth_cb"]("")
    assert token and time.time() < expires_at < time.time() + 3600
    assert "kafka-cluster%3AConnect" in _decoded(token)
    monkeypatch.setenv("KAFKA_AUTH", "scram")
    with pytest.raises(RuntimeError, match="KAFKA_AUTH"):
        client_config()


def _decoded(token: str) -> str:
    import base64

    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
