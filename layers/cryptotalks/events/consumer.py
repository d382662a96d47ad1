"""A consumer is declared once, beside its function: which event it takes and which context owns it.

The Lambda handler takes a batch from either bus: SQS messages whose bodies are EventBridge events, or the
records of an MSK (Kafka) event source mapping, grouped by topic-partition, whose values are the envelopes.
After unwrapping, one code path: it reports partial batch failures (SQS message ids, or Kafka
topic-partition and offset) and runs the consumer once per event id: the id is recorded in the inbox in the same
transaction as the effect.

A batch is one transaction: the inbox takes the batch's ids in one statement (those it already holds were
processed before and are skipped), then each event's effect runs. If one fails, the transaction is rolled back and
the batch runs again with each event in a savepoint of its own: a failed event's savepoint and inbox row are rolled
back while the others' stay. A consumer that reaches outside the database (it declares `uses`: mail, SMS, a bucket,
a web API) takes a transaction per event instead, so that no transaction stays open across its calls and a batch
retried after a failed commit repeats no other event's mail.
"""

from __future__ import annotations

import json
import uuid
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
BatchRecord = SQSRecord | KafkaEventRecord
RecordKey = str | tuple[str, int, int]  # an SQS message id, or a Kafka record's topic, partition and offset


KAFKA_EVENT_SOURCES = ("aws:kafka", "SelfManagedKafka")  # MSK, and Kafka clusters of one's own
EVENTS_CONSUMED_METRIC = "EventsConsumed"  # per batch, the events its consumer ran on (a redelivery counts none)
_EVENT_KEYS = ("correlation_id", "event_id", "event_type")  # the log keys of the event being consumed


def record_kind(event: dict[str, Any]) -> EventType:
    return EventType.Kafka if event.get("eventSource") in KAFKA_EVENT_SOURCES else EventType.SQS


def batch_records(event: dict[str, Any], kind: EventType) -> list[BatchRecord]:
    """The records of an SQS event, or of an MSK event (every topic-partition's, in order)."""
    if kind is EventType.Kafka:
        return [KafkaEventRecord(record) for records in event["records"].values() for record in records]
    return [SQSRecord(record) for record in event["Records"]]


def record_key(record: BatchRecord) -> RecordKey:
    """What tells a record from the others of its batch, as the batch's failure report names it."""
    if isinstance(record, KafkaEventRecord):
        return (record.topic, record.partition, record.offset)
    return record.message_id


def _log_as(envelope: Envelope) -> None:
    """The log keys of the event about to be consumed: what the consumer logs and publishes carries its correlation
    id on; an event without one starts its own story."""
    logger.set_correlation_id(envelope.correlationId or str(envelope.id))
    logger.thread_safe_append_keys(event_id=str(envelope.id), event_type=envelope.type)


def unwrap(record: BatchRecord) -> Envelope:
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

    @property
    def calls_out(self) -> bool:
        """It mails, texts, stores or calls a web API: a transaction per event (see the module's text)."""
        return bool(self.uses)

    function: ConsumerFunction[E] | None = field(default=None, repr=False)

    @property
    def event_types(self) -> list[str]:
        return [e.event_type for e in self.events]

    def consumer(self, function: ConsumerFunction[E]) -> ConsumerFunction[E]:
        self.function = function
        self.name = f"{self.context}.{function.__name__}"
        return function

    def payload(self, envelope: Envelope) -> E:
        model = next((e for e in self.events if e.event_type == envelope.type), None)
        if model is None:
            raise ValueError(f"{self.name} does not take {envelope.type!r} events")
        return model.model_validate(envelope.payload)

    def consume(self, envelope: Envelope) -> bool:
        """Run the consumer for one envelope, in its own transaction, unless it already ran; True if it ran now."""
        assert self.function is not None, "decorate the consumer function with @subscription.consumer"
        payload = self.payload(envelope)
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

    def consume_batch(self, records: list[BatchRecord]) -> tuple[dict[RecordKey, Exception | None], int]:
        """Runs the batch in one transaction (see the module's text); returns each record's failure (None: done or
        done before) and how many events ran now."""
        assert self.function is not None, "decorate the consumer function with @subscription.consumer"
        outcomes: dict[RecordKey, Exception | None] = {}
        parsed: list[tuple[RecordKey, Envelope, E]] = []
        for record in records:
            try:
                envelope = unwrap(record)
                parsed.append((record_key(record), envelope, self.payload(envelope)))
            except Exception as error:
                outcomes[record_key(record)] = error
        try:
            try:
                done, ran = self._in_one_transaction(parsed, isolated=False)
            except Exception:
                # An event failed (or the commit did): all of it again, each event in a savepoint, so that only
                # the failing ones go. Batches that all succeed, the common case, pay for no savepoint.
                done, ran = self._in_one_transaction(parsed, isolated=True)
        except Exception as error:  # the inbox or the commit failed: nothing of the batch stays, all of it comes back
            logger.exception("the batch's transaction failed", extra={"consumer": self.name})
            return outcomes | {key: error for key, _, _ in parsed}, 0
        return outcomes | done, ran

    def _in_one_transaction(
        self, parsed: list[tuple[RecordKey, Envelope, E]], isolated: bool
    ) -> tuple[dict[RecordKey, Exception | None], int]:
        """The batch in one transaction; an event's failure raises, unless `isolated`: then each event runs in a
        savepoint, and a failing one's savepoint and inbox row are rolled back and its failure returned."""
        assert self.function is not None
        outcomes: dict[RecordKey, Exception | None] = {}
        said: list[tuple[Envelope, str]] = []  # logged once committed: a rolled back attempt did nothing
        failed: list[uuid.UUID] = []
        with db.transaction() as tx:
            rows = tx.conn.execute(
                "INSERT INTO messaging.inbox (consumer, event_id) SELECT %s, unnest(%s::uuid[])"
                " ON CONFLICT DO NOTHING RETURNING event_id",
                (self.name, list(dict.fromkeys(envelope.id for _, envelope, _ in parsed))),
            ).fetchall()
            claimed = {row["event_id"] for row in rows}
            for key, envelope, payload in parsed:
                outcomes.setdefault(key, None)  # a record given twice keeps the first one's failure
                if envelope.id not in claimed:
                    said.append((envelope, "event already processed"))
                    continue
                claimed.discard(envelope.id)  # a second copy in this batch was processed by the first
                _log_as(envelope)
                if not isolated:
                    self.function(payload, envelope)
                    said.append((envelope, "event consumed"))
                    continue
                try:
                    with tx.savepoint():
                        self.function(payload, envelope)
                except Exception as error:
                    outcomes[key] = error
                    failed.append(envelope.id)
                    continue
                said.append((envelope, "event consumed"))
            if failed:
                tx.conn.execute(
                    "DELETE FROM messaging.inbox WHERE consumer = %s AND event_id = ANY(%s)", (self.name, failed)
                )
        for envelope, message in said:
            _log_as(envelope)
            logger.info(message, extra={"consumer": self.name})
        return outcomes, sum(message == "event consumed" for _, message in said)

    def _handle_record(self, record: BatchRecord) -> bool:
        logger.thread_safe_remove_keys(_EVENT_KEYS)  # a record that does not parse shows no earlier record's ids
        envelope = unwrap(record)
        _log_as(envelope)
        return self.consume(envelope)

    @property
    def lambda_handler(self) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
        @logger.inject_lambda_context
        @traced
        @metrics.log_metrics
        def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            kind = record_kind(event)
            consumed = 0
            record_handler: Callable[[BatchRecord], None]
            if self.calls_out:

                def record_handler(record: BatchRecord) -> None:
                    nonlocal consumed
                    consumed += self._handle_record(record)

            else:
                outcomes, consumed = self.consume_batch(batch_records(event, kind))

                def record_handler(record: BatchRecord) -> None:
                    failure = outcomes[record_key(record)]
                    if failure is not None:
                        raise failure

            try:
                # Powertools reports the failed records (and fails the invocation if every record failed).
                answer = process_partial_response(
                    event=event,
                    record_handler=record_handler,
                    processor=BatchProcessor(event_type=kind),
                    context=context,
                )
            finally:
                logger.thread_safe_remove_keys(_EVENT_KEYS)  # the thread's next work is not about the last event
            # One value per batch: Powertools prints a metric's values once it holds 100, even with metrics disabled.
            if consumed:
                metrics.add_metric(name=EVENTS_CONSUMED_METRIC, unit="Count", value=consumed)
            return answer  # type: ignore[return-value]

        return handler
