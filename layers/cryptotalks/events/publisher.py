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
        for start in range(0, len(envelopes), _PUT_EVENTS_MAX):
            chunk = envelopes[start : start + _PUT_EVENTS_MAX]
            answer = self._client.put_events(
                Entries=[
                    {
                        "EventBusName": self._bus_name,
                        "Source": f"cryptotalks.{e.source}",
                        "DetailType": e.type,
                        "Detail": json.dumps(e.model_dump(mode="json")),
                    }
                    for e in chunk
                ]
            )
            accepted += [e for e, entry in zip(chunk, answer["Entries"], strict=True) if "EventId" in entry]
        return accepted


@cache
def publisher() -> Publisher:
    bus = os.environ.get("EVENT_BUS", "eventbridge")
    if bus == "kafka":
        from cryptotalks.events.kafka import KafkaPublisher  # only functions on Kafka load its client

        return KafkaPublisher()
    if bus != "eventbridge":
        raise RuntimeError(f"EVENT_BUS={bus!r}: use eventbridge or kafka")
    return EventBridgePublisher(settings().event_bus_name)
