"""A consumer is declared once, beside its function: which event it takes and which context owns it.

The Lambda handler takes an SQS batch of EventBridge events, reports partial batch failures, and runs
the consumer once per event id: the id is recorded in the consumer's own transaction with its effect.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks import db
from cryptotalks.events.envelope import DomainEvent, Envelope
from cryptotalks.observability import logger, metrics, traced

E = TypeVar("E", bound=DomainEvent)
ConsumerFunction = Callable[[E, Envelope], None]


def unwrap(record: SQSRecord) -> Envelope:
    """The envelope inside an SQS record whose body is an EventBridge event."""
    return Envelope.model_validate(json.loads(record.body)["detail"])


@dataclass
class Subscription(Generic[E]):
    events: tuple[type[E], ...]
    context: str
    summary: str
    name: str = ""
    function: ConsumerFunction[E] | None = field(default=None, repr=False)

    @property
    def event_types(self) -> list[str]:
        return [e.event_type for e in self.events]

    def consumer(self, function: ConsumerFunction[E]) -> ConsumerFunction[E]:
        self.function = function
        self.name = f"{self.context}.{function.__name__}"
        return function

    def consume(self, envelope: Envelope) -> bool:
        """Run the consumer for one envelope unless it already ran; True if it ran now."""
        assert self.function is not None, "decorate the consumer function with @subscription.consumer"
        model = next((e for e in self.events if e.event_type == envelope.type), None)
        if model is None:
            raise ValueError(f"{self.name} does not take {envelope.type!r} events")
        payload = model.model_validate(envelope.payload)
        with db.transaction() as tx:
            claimed = tx.conn.execute(
                "INSERT INTO messaging.inbox (consumer, event_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (self.name, envelope.id),
            ).rowcount
            if not claimed:
                logger.info("event already processed", extra={"event_id": str(envelope.id)})
                return False
            self.function(payload, envelope)
        return True

    def _handle_record(self, record: SQSRecord) -> None:
        envelope = unwrap(record)
        logger.append_keys(event_id=str(envelope.id), event_type=envelope.type)
        if self.consume(envelope):
            metrics.add_metric(name="EventsConsumed", unit="Count", value=1)

    @property
    def lambda_handler(self) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
        @logger.inject_lambda_context
        @traced
        @metrics.log_metrics
        def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            return process_partial_response(  # type: ignore[return-value]
                event=event,
                record_handler=self._handle_record,
                processor=BatchProcessor(event_type=EventType.SQS),
                context=context,
            )

        return handler
