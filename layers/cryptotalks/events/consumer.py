"""A consumer is declared once, beside its function: which event it takes and which context owns it.

The Lambda handler takes a batch from either bus: SQS messages whose bodies are EventBridge events, or the
records of an MSK (Kafka) event source mapping, grouped by topic-partition, whose values are the envelopes.
After unwrapping, one code path: it reports partial batch failures (SQS message ids, or Kafka
topic-partition and offset) and runs the consumer once per event id: the id is recorded in the consumer's
own transaction with its effect.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks import db
from cryptotalks.events.envelope import DomainEvent, Envelope
from cryptotalks.observability import logger, metrics, traced
from cryptotalks.uses import Uses

E = TypeVar("E", bound=DomainEvent)
ConsumerFunction = Callable[[E, Envelope], None]


KAFKA_EVENT_SOURCES = ("aws:kafka", "SelfManagedKafka")  # MSK, and Kafka clusters of one's own
EVENTS_CONSUMED_METRIC = "EventsConsumed"  # per batch, the events its consumer ran on (a redelivery counts none)
_EVENT_KEYS = ("correlation_id", "event_id", "event_type")  # the log keys of the event being consumed


def record_kind(event: dict[str, Any]) -> EventType:
    return EventType.Kafka if event.get("eventSource") in KAFKA_EVENT_SOURCES else EventType.SQS


def unwrap(record: SQSRecord | KafkaEventRecord) -> Envelope:
    """The envelope inside a Kafka record (its value), or an SQS record whose body is an EventBridge event."""
    if isinstance(record, KafkaEventRecord):
        return Envelope.model_validate_json(record.decoded_value)
    return Envelope.model_validate(json.loads(record.body)["detail"])


@dataclass
class Subscription(Generic[E]):
    events: tuple[type[E], ...]
    context: str
    summary: str
    name: str = ""
    uses: tuple[Uses, ...] = field(default=(), kw_only=True)  # third parties and buckets it reaches
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
                logger.info("event already processed")
                return False
            self.function(payload, envelope)
        logger.info("event consumed", extra={"consumer": self.name})
        return True

    def _handle_record(self, record: SQSRecord | KafkaEventRecord) -> bool:
        logger.thread_safe_remove_keys(_EVENT_KEYS)  # a record that does not parse shows no earlier record's ids
        envelope = unwrap(record)
        # What the consumer logs and publishes carries the id on; an event without one starts its own story.
        logger.set_correlation_id(envelope.correlationId or str(envelope.id))
        logger.thread_safe_append_keys(event_id=str(envelope.id), event_type=envelope.type)
        return self.consume(envelope)

    @property
    def lambda_handler(self) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
        @logger.inject_lambda_context
        @traced
        @metrics.log_metrics
        def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            consumed = 0

            def handle(record: SQSRecord | KafkaEventRecord) -> None:
                nonlocal consumed
                consumed += self._handle_record(record)

            try:
                answer = process_partial_response(
                    event=event,
                    record_handler=handle,
                    processor=BatchProcessor(event_type=record_kind(event)),
                    context=context,
                )
            finally:
                logger.thread_safe_remove_keys(_EVENT_KEYS)  # the thread's next work is not about the last event
            # One value per batch: Powertools prints a metric's values once it holds 100, even with metrics disabled.
            if consumed:
                metrics.add_metric(name=EVENTS_CONSUMED_METRIC, unit="Count", value=consumed)
            return answer  # type: ignore[return-value]

        return handler
