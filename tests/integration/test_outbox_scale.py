"""No event is lost at scale: with the bus unreachable, 1,000 sign-ups commit, their events wait in the outbox;
once the bus is back, the relay sends them and every consumer processes each exactly once (counted by effects),
on each bus. Passwords are hashed with argon2id at its lowest cost, as in every test in the function environment
(tests/conftest.py): 1,000 hashes at the production cost take minutes on two cores, and hashing is not what is under
test."""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from cryptotalks import db
from cryptotalks.events import publish
from cryptotalks.events.catalogue import CryptoForUserCreated
from cryptotalks.messaging import outbox
from cryptotalks.users import logic
from cryptotalks.users.models import SignUpRequest
from cryptotalks_dev.aws import free_port, provision
from functions import registry
from tests.kafka_support import KafkaPipeline
from tests.support import STRONG_PASSWORD, mailbox

SIGN_UPS = 1000
THREADS = 8


def _count(database: db.Connection, query: str) -> int:
    row = database.execute(query).fetchone()
    return int(row["count"]) if row else 0


@contextmanager
def _bus_down(bus: Any) -> Iterator[None]:
    """The bus unreachable inside the block (Kafka: the brokers' address leads nowhere; EventBridge: the bus is
    gone), back after it."""
    from cryptotalks.events.publisher import publisher

    kafka = isinstance(bus, KafkaPipeline)
    with pytest.MonkeyPatch.context() as outage:
        if kafka:
            outage.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")  # nothing listens there
            outage.setenv("KAFKA_PUBLISH_TIMEOUT_SECONDS", "1")
        else:
            events, name = boto3.client("events"), os.environ["EVENT_BUS_NAME"]
            for rule in events.list_rules(EventBusName=name)["Rules"]:
                events.remove_targets(Rule=rule["Name"], EventBusName=name, Ids=["queue"])
                events.delete_rule(Name=rule["Name"], EventBusName=name)
            events.delete_event_bus(Name=name)
        publisher.cache_clear()
        yield
    if not kafka:
        provision(os.environ["EVENT_BUS_NAME"], visibility_timeout=1)
    publisher.cache_clear()


@pytest.mark.timeout(180)
def test_a_thousand_sign_ups_during_an_outage_are_delivered_once_each(bus: Any, database: db.Connection) -> None:

    def sign_up(n: int) -> None:
        logic.sign_up(
            SignUpRequest(email=f"user{n}@example.com", password=STRONG_PASSWORD, username=f"user{n}", tac=True)
        )

    with _bus_down(bus):
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(sign_up, range(SIGN_UPS)))
        assert _count(database, "SELECT count(*) FROM users.users") == SIGN_UPS
        published = _count(database, "SELECT count(*) FROM messaging.outbox")
        assert published == 3 * SIGN_UPS
        assert _count(database, "SELECT count(*) FROM messaging.outbox WHERE sent_at IS NULL") == published
        assert bus.drain() == 0

    assert outbox.relay(older_than_seconds=0) == published
    assert outbox.relay(older_than_seconds=0) == 0
    bus.drain()

    mails = Counter(m["to"] for m in mailbox())
    assert mails == {f"user{n}@example.com": 1 for n in range(SIGN_UPS)}
    for table in ("users.settings", "posts.authors", "crypto.favorite_lists", "audit.action_log"):
        assert _count(database, f"SELECT count(*) FROM {table}") == SIGN_UPS, table
    subscribers = Counter(t for d in registry.subscriptions() for t in d.declaration.event_types)
    expected = sum(subscribers[row["type"]] for row in database.execute("SELECT type FROM messaging.outbox"))
    assert _count(database, "SELECT count(*) FROM messaging.inbox") == expected


def test_the_relay_keeps_to_its_time_and_forgets_what_was_sent_a_week_ago(
    pipeline: Any, database: db.Connection
) -> None:
    with _bus_down(pipeline), db.transaction():
        for _ in range(3):
            publish(CryptoForUserCreated(userId=uuid.uuid4()), "users")
    assert outbox.relay(older_than_seconds=0, batch_size=1, until=time.monotonic()) == 0  # no time left
    assert outbox.relay(older_than_seconds=0, batch_size=1) == 3
    database.execute(
        "UPDATE messaging.outbox SET sent_at = now() - interval '8 days' WHERE id IN"
        " (SELECT id FROM messaging.outbox LIMIT 2)"
    )
    assert outbox.prune(kept_days=7, batch_size=1) == 2
    assert _count(database, "SELECT count(*) FROM messaging.outbox") == 1
