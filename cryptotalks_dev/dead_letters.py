"""Dead letters of a running `cryptotalks dev`: list them, and hand them back to their consumer (`cryptotalks dlq`).

- EventBridge: each consumer's SQS dead-letter queue `cryptotalks-<function id>-dlq`, where a message lands after
  3 receives (the queue's redrive policy). Redrive moves the messages back to the consumer's own queue.
- Kafka: each consumer's dead-letter topic `cryptotalks.dlq.<function id>`, read by the group
  `cryptotalks-dlq-<function id>`, whose committed offsets mark what was redriven already. Redrive writes each
  record back to the topic it came from, marked for that consumer alone (header `dlq-redrive-for`): the other
  consumers' pollers pass over it.
Either way the consumer runs again on an event it may have half-seen; its inbox keeps that to one effect.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptotalks.events.kafka import client_config, dead_letter_topic
from cryptotalks_dev.aws import queue_name
from cryptotalks_dev.kafka_pollers import (
    DELIVERIES,
    FAILED_AT,
    REDRIVE_FOR,
    SOURCE_OFFSET,
    SOURCE_PARTITION,
    SOURCE_TOPIC,
    header,
)
from functions import registry

SQS_BATCH = 10
QUIET_SECONDS = 1.0


@dataclass(frozen=True)
class DeadLetter:
    consumer: str  # the consumer's function id
    event_type: str | None  # None when the message holds no readable envelope
    event_id: str | None
    origin: str  # the queue, or the topic, partition and offset it came from
    note: str


class DeadLetters(Protocol):
    def list(self, function_id: str) -> list[DeadLetter]: ...

    def redrive(self, function_id: str) -> int: ...


def _envelope_fields(envelope: Any) -> tuple[str | None, str | None]:
    if isinstance(envelope, dict):
        return envelope.get("type"), envelope.get("id")
    return None, None


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class QueueDeadLetters:
    def __init__(self) -> None:
        import boto3

        self.sqs: Any = boto3.client("sqs")

    def _url(self, name: str) -> str:
        return str(self.sqs.get_queue_url(QueueName=name)["QueueUrl"])

    def _receive_all(self, url: str, hidden_for_seconds: int) -> list[dict[str, Any]]:
        received: list[dict[str, Any]] = []
        while batch := self.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=SQS_BATCH, VisibilityTimeout=hidden_for_seconds, AttributeNames=["All"]
        ).get("Messages", []):
            received += batch
        return received

    def list(self, function_id: str) -> list[DeadLetter]:
        name = f"{queue_name(function_id)}-dlq"
        url = self._url(name)
        messages = self._receive_all(url, hidden_for_seconds=30)
        for chunk in _chunks(messages, SQS_BATCH):  # seen, not taken: visible again at once
            self.sqs.change_message_visibility_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(chunk)
                ],
            )
        letters = []
        for m in messages:
            try:
                envelope = json.loads(m["Body"]).get("detail")
            except (ValueError, AttributeError):
                envelope = None
            event_type, event_id = _envelope_fields(envelope)
            note = f"received {m['Attributes'].get('ApproximateReceiveCount', '?')} times from the dead-letter queue"
            letters.append(DeadLetter(function_id, event_type, event_id, name, note))
        return letters

    def redrive(self, function_id: str) -> int:
        dead_letter_url = self._url(f"{queue_name(function_id)}-dlq")
        source_url = self._url(queue_name(function_id))
        moved = 0
        for chunk in _chunks(self._receive_all(dead_letter_url, hidden_for_seconds=60), SQS_BATCH):
            sent = self.sqs.send_message_batch(
                QueueUrl=source_url, Entries=[{"Id": str(i), "MessageBody": m["Body"]} for i, m in enumerate(chunk)]
            ).get("Successful", [])
            done = [chunk[int(s["Id"])] for s in sent]
            if done:
                self.sqs.delete_message_batch(
                    QueueUrl=dead_letter_url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
                )
            moved += len(done)
        return moved


def dead_letter_group(function_id: str) -> str:
    """The consumer group whose committed offsets mark the dead letters redriven so far."""
    return f"cryptotalks-dlq-{function_id}"


class TopicDeadLetters:
    def pending(self, function_id: str) -> tuple[Any, list[Any]]:
        """A consumer of the dead-letter topic, and the records after its group's committed offsets.

        The end is where the topic has been quiet for a second, not the high watermark: tansu's counts record
        batches, not records."""
        from confluent_kafka import Consumer, TopicPartition

        topic = dead_letter_topic(function_id)
        consumer = Consumer(
            {**client_config(), "group.id": dead_letter_group(function_id), "enable.auto.commit": False}
        )
        known = consumer.list_topics(timeout=10).topics
        if topic not in known:
            return consumer, []
        committed = consumer.committed([TopicPartition(topic, p) for p in sorted(known[topic].partitions)], timeout=10)
        consumer.assign([TopicPartition(topic, tp.partition, max(tp.offset, 0)) for tp in committed])
        records: list[Any] = []
        while batch := consumer.consume(100, QUIET_SECONDS):
            records += [m for m in batch if not m.error()]
        return consumer, records

    def mark_handled(self, consumer: Any, records: list[Any]) -> None:
        from confluent_kafka import TopicPartition

        ends = {(m.topic(), m.partition()): m.offset() + 1 for m in records}
        if ends:
            consumer.commit(offsets=[TopicPartition(t, p, end) for (t, p), end in ends.items()], asynchronous=False)

    def list(self, function_id: str) -> list[DeadLetter]:
        consumer, records = self.pending(function_id)
        consumer.close()
        letters = []
        for m in records:
            try:
                envelope = json.loads(m.value())
            except ValueError:
                envelope = None
            event_type, event_id = _envelope_fields(envelope)
            origin = f"{header(m, SOURCE_TOPIC)}[{header(m, SOURCE_PARTITION)}]@{header(m, SOURCE_OFFSET)}"
            note = f"{header(m, DELIVERIES)} deliveries, failed at {header(m, FAILED_AT)}"
            letters.append(DeadLetter(function_id, event_type, event_id, origin, note))
        return letters

    def redrive(self, function_id: str) -> int:
        from confluent_kafka import Producer

        consumer, records = self.pending(function_id)
        try:
            if not records:
                return 0
            producer = Producer({**client_config(), "enable.idempotence": True, "acks": "all"})
            for m in records:
                source = header(m, SOURCE_TOPIC)
                if source is None:
                    raise RuntimeError(
                        f"{m.topic()}@{m.offset()} does not say where it came from; nothing was redriven"
                    )
                own = [(k, v) for k, v in m.headers() or [] if not k.startswith("dlq-")]
                producer.produce(source, key=m.key(), value=m.value(), headers=[*own, (REDRIVE_FOR, function_id)])
            if producer.flush(10):
                raise RuntimeError("the brokers did not take the redriven records; nothing was marked redriven")
            self.mark_handled(consumer, records)
            return len(records)
        finally:
            consumer.close()


def dead_letters_of(bus: str) -> DeadLetters:
    return TopicDeadLetters() if bus == "kafka" else QueueDeadLetters()


def consumers(only: str | None) -> list[str]:
    known = [d.function_id for d in registry.subscriptions()]
    if only is not None and only not in known:
        raise ValueError(f"unknown consumer {only!r}; one of:\n  " + "\n  ".join(known))
    return [only] if only else known


def print_letters(letters: list[DeadLetter], as_json: bool) -> None:
    if as_json:
        print(json.dumps([asdict(letter) for letter in letters], indent=2))
        return
    for letter in letters:
        print(f"{letter.consumer}  {letter.event_type}  {letter.event_id}  from {letter.origin}  ({letter.note})")
    print(f"{len(letters)} dead letter{'s' if len(letters) != 1 else ''}")


def run(data_dir: Path, action: str, consumer: str | None, as_json: bool) -> int:
    """`cryptotalks dlq list|redrive [--consumer ID]` against the `cryptotalks dev` running with `data_dir`."""
    from cryptotalks_dev.runtime_file import NotRunningError, attach

    try:
        stack = attach(data_dir)
        chosen = consumers(consumer)
    except (NotRunningError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    letters = dead_letters_of(stack.bus)
    if action == "list":
        print_letters([letter for c in chosen for letter in letters.list(c)], as_json)
        return 0
    moved = {c: letters.redrive(c) for c in chosen}
    if as_json:
        print(json.dumps(moved, indent=2))
    else:
        for c, count in moved.items():
            if count:
                print(f"{c}: {count} redriven")
        print(f"{sum(moved.values())} dead letters redriven")
    return 0
