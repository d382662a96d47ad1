"""The publisher port and its adapters: EventBridge (here) and Kafka (`cryptotalks.events.kafka`), chosen by
`EVENT_BUS` (`eventbridge`, the default, or `kafka`)."""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any, Protocol

from cryptotalks.config import aws_client, settings
from cryptotalks.events.envelope import Envelope

_PUT_EVENTS_MAX = 10  # entries per PutEvents call
_PUT_EVENTS_BYTES = 256 * 1024  # of all the entries of one PutEvents call


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
        accepted = []
        for chunk in _calls([(e, self._entry(e)) for e in envelopes]):
            answer = self._client.put_events(Entries=[entry for _, entry in chunk])
            accepted += [e for (e, _), entry in zip(chunk, answer["Entries"], strict=True) if "EventId" in entry]
        return accepted

    def _entry(self, envelope: Envelope) -> dict[str, str]:
        return {
            "EventBusName": self._bus_name,
            "Source": f"cryptotalks.{envelope.source}",
            "DetailType": envelope.type,
            "Detail": json.dumps(envelope.model_dump(mode="json")),
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
