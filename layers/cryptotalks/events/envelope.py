"""The envelope every event travels in, on EventBridge (as `detail`) and on Kafka (as the value)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class DomainEvent(BaseModel):
    """A payload model; `event_type` is its name in the catalogue (the original's Kafka topic).

    Every subclass that names an `event_type` joins `DomainEvent.catalogue`, wherever it is defined.

    On Kafka an event's key is its aggregate's id, so the events of one aggregate stay in order: the field
    named by `partition_by`, by default the model's first field whose name ends in `Id` (`postId` before
    `userId` in the posts' events, `userId` in the users'); an event without one is spread over partitions."""

    # A function publishes a few of the catalogue's events at most: each is built at its first use, not at import.
    model_config = ConfigDict(frozen=True, defer_build=True)
    event_type: ClassVar[str]
    partition_by: ClassVar[str | None] = None
    catalogue: ClassVar[dict[str, type[DomainEvent]]] = {}

    @classmethod
    def aggregate_id_field(cls) -> str | None:
        if cls.partition_by is not None:
            return cls.partition_by
        return next((name for name in cls.model_fields if name.endswith("Id")), None)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            known = DomainEvent.catalogue.setdefault(cls.event_type, cls)
            if known is not cls:
                raise TypeError(f"event type {cls.event_type!r} is declared twice")
            if cls.partition_by is not None and cls.partition_by not in cls.model_fields:
                raise TypeError(f"{cls.__name__}.partition_by names no field: {cls.partition_by!r}")


class Envelope(BaseModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    source: str = Field(description="The context that published the event")
    occurredAt: datetime = Field(default_factory=lambda: datetime.now(UTC))
    payload: dict[str, Any]
    correlationId: str | None = Field(
        default=None,
        description="The request (API Gateway's request id) or first event this event follows from; every event"
        " it causes carries it on, and every log line about it shows it. Absent from envelopes older than it",
    )

    @classmethod
    def wrap(cls, event: DomainEvent, source: str, correlation_id: str | None = None) -> Envelope:
        return cls(
            type=event.event_type, source=source, payload=event.model_dump(mode="json"), correlationId=correlation_id
        )

    @property
    def aggregate_id(self) -> str | None:
        """The payload's aggregate id (see `DomainEvent`); None for a type no model of this process declares."""
        model = DomainEvent.catalogue.get(self.type)
        field = model.aggregate_id_field() if model else None
        value = self.payload.get(field) if field else None
        return None if value is None else str(value)
