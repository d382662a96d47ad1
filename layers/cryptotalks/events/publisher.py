"""The publisher port and its adapters: EventBridge (here) and Kafka (`cryptotalks.events.kafka`), chosen by
`EVENT_BUS` (`eventbridge`, the default, or `kafka`)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, Protocol

from cryptotalks.config import aws_client, settings
from cryptotalks.events.envelope import Envelope

_PUT_EVENTS_MAX = 10  # entries per PutEvents call
_PUT_EVENTS_BYTES = 256 * 1024  # of all the entries of one PutEvents call
_CONCURRENT_CALLS = 8  # PutEvents calls of one burst in flight at once


class Publisher(Protocol):
    def publish(self, envelopes: list[Envelope]) -> list[Envelope]:
        """Send the envelopes; returns those the bus accepted."""
        ...


class EventBridgePublisher:
    def __init__(self, bus_name: str) -> None:
        # Made here: most API functions publish nothing on a cold start path.
        self._client: Any = aws_client("events")
        self._bus_name = bus_name

    def publish(self, envelopes: list[Envelope]) -> list[Envelope]:
        calls = _calls([(e, self._entry(e)) for e in envelopes])
        if len(calls) == 1:
            return self._put(calls[0])
        # A burst (a sync's price alerts, the relay's backlog) takes many calls of 10: made side by side, as the
        # bus orders no events anyway. boto3's clients are thread-safe.
        with ThreadPoolExecutor(max_workers=min(len(calls), _CONCURRENT_CALLS)) as pool:
            return [envelope for accepted in pool.map(self._put, calls) for envelope in accepted]

    def _put(self, call: list[tuple[Envelope, dict[str, str]]]) -> list[Envelope]:
        answer = self._client.put_events(Entries=[entry for _, entry in call])
        return [e for (e, _), entry in zip(call, answer["Entries"], strict=True) if "EventId" in entry]

    def _entry(self, envelope: Envelope) -> dict[str, str]:
        return {
            "EventBusName": self._bus_name,
            "Source": f"cryptotalks.{envelope.source}",
            "DetailType": envelope.type,
            "Detail": envelope.model_dump_json(),
        }


def _entry_size(entry: dict[str, str]) -> int:
    """As EventBridge counts it: the UTF-8 bytes of the source, detail type and detail."""
    return sum(len(entry[key].encode()) for key in ("Source", "DetailType", "Detail"))


def _calls(entries: list[tuple[Envelope, dict[str, str]]]) -> list[list[tuple[Envelope, dict[str, str]]]]:
    """The entries in order, grouped into PutEvents calls of at most 10 entries and 256 KB together (a larger
    call is refused whole); an entry too large on its own goes alone, and EventBridge refuses it alone."""
    calls: list[list[tuple[Envelope, dict[str, str]]]] = []
    size = 0
    for envelope, entry in entries:
        entry_size = _entry_size(entry)
        if not calls or len(calls[-1]) == _PUT_EVENTS_MAX or size + entry_size > _PUT_EVENTS_BYTES:
            calls.append([])
            size = 0
        calls[-1].append((envelope, entry))
        size += entry_size
    return calls


@cache
def publisher() -> Publisher:
    bus = os.environ.get("EVENT_BUS", "eventbridge")
    if bus == "kafka":
        from cryptotalks.events.kafka import KafkaPublisher  # only functions on Kafka load its client

        return KafkaPublisher()
    if bus != "eventbridge":
        raise RuntimeError(f"EVENT_BUS={bus!r}: use eventbridge or kafka")
    return EventBridgePublisher(settings().event_bus_name)
