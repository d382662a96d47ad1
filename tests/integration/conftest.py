"""Fixtures of the integration tests on Kafka: a real broker for the run (tansu, or the brokers at
`KAFKA_BOOTSTRAP_SERVERS`), and per test a function's environment on `EVENT_BUS=kafka` with a pipeline through it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cryptotalks_dev.kafka_broker import kafka_broker
from tests.crypto_support import MarketStandIn, serve_market
from tests.kafka_support import KafkaPipeline
from tests.stand_ins import RecordingServer, senders_in_use
from tests.support import Api

BUSES = ["eventbridge", "kafka"]


@pytest.fixture(scope="session")
def kafka_servers(database_url: str) -> Iterator[str]:
    with kafka_broker() as servers:
        yield servers


@pytest.fixture
def kafka(kafka_servers: str, aws: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[KafkaPipeline]:
    """Functions publish to Kafka; `drain()` runs every consumer's poller over what they published."""
    from cryptotalks.events.publisher import publisher

    monkeypatch.setenv("EVENT_BUS", "kafka")
    publisher.cache_clear()
    pipeline = KafkaPipeline()
    yield pipeline
    pipeline.close()
    publisher.cache_clear()


@pytest.fixture
def kafka_api(kafka: KafkaPipeline) -> Api:
    return Api(kafka)  # type: ignore[arg-type]  # a pipeline of the other bus: drain() and poller_of()


@pytest.fixture(params=BUSES)
def bus(request: pytest.FixtureRequest) -> Any:
    """The pipeline of each bus in turn: moto's EventBridge and SQS, then Kafka."""
    return request.getfixturevalue("pipeline" if request.param == "eventbridge" else "kafka")


@pytest.fixture
def bus_api(bus: Any) -> Api:
    return Api(bus)


@pytest.fixture
def market(monkeypatch: pytest.MonkeyPatch) -> Iterator[MarketStandIn]:
    """Coinranking and CoinGecko stood in for by a local server with the recorded answers."""
    yield from serve_market(monkeypatch)


@pytest.fixture
def senders(database_url: str) -> Iterator[tuple[RecordingServer, RecordingServer]]:
    """SendGrid and Twilio stand-ins, in use by this process's functions."""
    with senders_in_use() as servers:
        yield servers
