"""Domain events: the envelope, the catalogue of payloads, publishing through the outbox, consuming."""

from cryptotalks.events.envelope import DomainEvent, Envelope
from cryptotalks.messaging.outbox import publish

__all__ = ["DomainEvent", "Envelope", "publish"]
