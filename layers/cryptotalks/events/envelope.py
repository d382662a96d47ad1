"""The envelope every event travels in, on EventBridge (as `detail`) and on Kafka (as the value)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class DomainEvent(BaseModel):
    """A payload model; `event_type` is its name in the catalogue (the original's Kafka topic).

    Every subclass that names an `event_type` joins `DomainEvent.catalogue`, wherever it is defined."""

    model_config = ConfigDict(frozen=True)
    event_type: ClassVar[str]
    catalogue: ClassVar[dict[str, type[DomainEvent]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            known = DomainEvent.catalogue.setdefault(cls.event_type, cls)
            if known is not cls:
                raise TypeError(f"event type {cls.event_type!r} is declared twice")


class Envelope(BaseModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    source: str = Field(description="The context that published the event")
    occurredAt: datetime = Field(default_factory=lambda: datetime.now(UTC))
    payload: dict[str, Any]

    @classmethod
    def wrap(cls, event: DomainEvent, source: str) -> Envelope:
        return cls(type=event.event_type, source=source, payload=event.model_dump(mode="json"))
