"""What Lambda's Kafka (MSK) event source mapping does, on this machine, for each consumer:

- a consumer group `cryptotalks-<function id>` reads the topics that carry the consumer's event types (their
  publishers' topics, as the CDK stack's mappings); only the records of the event types the consumer takes are
  handed to it (the mapping's filter criteria, read from the `type` header), the others are passed over;
- records go to the function in batches, in the MSK event shape, and offsets are committed once a batch is done;
- records the function reports failed (`batchItemFailures`: topic-partition and offset), or the whole batch if
  the function fails, are delivered again, up to 3 deliveries in all; what still fails is written to the
  consumer's dead-letter topic `cryptotalks.dlq.<function id>` (the mapping's on-failure destination) with where
  it came from and why, and the batch goes on. Retried records are delivered after the rest of their batch, so a
  failure may reorder that one record against the later ones of its partition.
"""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cryptotalks.events.kafka import TYPE_HEADER, client_config, dead_letter_topic
from cryptotalks.observability import logger
from cryptotalks_dev.aws import MAX_RECEIVE_COUNT
from cryptotalks_dev.event_catalogue import topics_carrying
from cryptotalks_dev.lambda_context import ACCOUNT_ID, REGION, LocalLambdaContext
from functions import registry

BATCH_SIZE = 100  # as the CDK stack's event source mappings
RETRY_DELAY_SECONDS = 0.2  # before the second delivery; doubled before the third
CLUSTER_ARN = f"arn:aws:kafka:{REGION}:{ACCOUNT_ID}:cluster/cryptotalks-local/00000000-0000-0000-0000-000000000000-1"

# Headers a dead letter carries besides the record's own.
SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET = "dlq-source-topic", "dlq-source-partition", "dlq-source-offset"
FAILED_AT, DELIVERIES = "dlq-failed-at", "dlq-deliveries"
REDRIVE_FOR = "dlq-redrive-for"  # a redriven record is for the consumer that dead-lettered it, not the others


def consumer_group(function_id: str) -> str:
    return f"cryptotalks-{function_id}"


def header(message: Any, name: str) -> str | None:
    return next((value.decode() for key, value in message.headers() or [] if key == name and value), None)


def msk_event(messages: Sequence[Any]) -> dict[str, Any]:
    """The event an MSK event source mapping sends: records grouped by topic-partition, base64 keys and values."""
    records: dict[str, list[dict[str, Any]]] = {}
    for m in messages:
        record = {
            "topic": m.topic(),
            "partition": m.partition(),
            "offset": m.offset(),
            "timestamp": m.timestamp()[1],
            "timestampType": "CREATE_TIME",
            "value": base64.b64encode(m.value()).decode(),
            "headers": [{key: list(value)} for key, value in m.headers() or []],
        }
        if m.key() is not None:
            record["key"] = base64.b64encode(m.key()).decode()
        records.setdefault(f"{m.topic()}-{m.partition()}", []).append(record)
    return {
        "eventSource": "aws:kafka",
        "eventSourceArn": CLUSTER_ARN,
        "bootstrapServers": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", ""),
        "records": records,
    }


CONSUMER_SETTINGS = {
    "enable.auto.commit": False,
    # tansu answers a fetch when its wait is over, not when records arrive, so this bounds how long a record
    # waits at the broker. librdkafka's 500 ms: p95 end to end ~380 ms; 100 ms: ~130 ms, but 14 groups fetching
    # that often halve what the broker carries (bench/events_throughput.py); 250 ms sits between.
    "fetch.wait.max.ms": 250,
}


def subscribed_consumer(function_id: str, topics: list[str]) -> Any:
    """A member of the consumer's group, reading the topics from where the group left off."""
    from confluent_kafka import Consumer

    consumer = Consumer(
        {
            **client_config(),
            **CONSUMER_SETTINGS,
            "group.id": consumer_group(function_id),
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 6000,  # joins and rebalances take seconds, not the default's tens of seconds
            "heartbeat.interval.ms": 1000,
            "topic.metadata.refresh.interval.ms": 2000,  # a context's new topic is read within seconds
        }
    )
    consumer.subscribe(topics)
    return consumer


def dead_letter_producer() -> Any:
    from confluent_kafka import Producer

    return Producer({**client_config(), "enable.idempotence": True, "acks": "all"})


class KafkaPoller(threading.Thread):
    def __init__(
        self, consumer: registry.Declared[Any], stop: threading.Event, kafka_consumer: Any, dead_letters: Any
    ) -> None:
        super().__init__(name=f"kafka-poller-{consumer.function_id}", daemon=True)
        self.stop = stop
        self.function_id = consumer.function_id
        self.event_types = set(consumer.declaration.event_types)
        self.kafka_consumer, self.dead_letters = kafka_consumer, dead_letters
        self.handler = consumer.handler

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    self.poll_once()
                except Exception:
                    if not self.stop.is_set():
                        logger.exception("Kafka poller failed", extra={"consumer": self.function_id})
                        self.stop.wait(1)
        finally:
            self.kafka_consumer.close()

    def poll_once(self, timeout: float = 1.0) -> int:
        """One batch: returns how many of its records were handed to the consumer (the others are passed over)."""
        first = self.kafka_consumer.poll(timeout)  # waits for one record; the batch is what has arrived by then
        if first is None:
            return 0
        batch = [first, *self.kafka_consumer.consume(BATCH_SIZE - 1, 0)]
        messages = [m for m in batch if not m.error()]
        if not messages:
            return 0
        taken = [m for m in messages if self.takes(m)]
        try:
            self.deliver(taken)
        except Exception:
            self._rewind(messages)  # read the batch again: nothing of it is committed
            raise
        self.kafka_consumer.commit(asynchronous=False)
        return len(taken)

    def takes(self, message: Any) -> bool:
        """A record of its event types (the mapping's filter), unless redriven for another consumer."""
        wanted = header(message, TYPE_HEADER) in self.event_types
        return wanted and header(message, REDRIVE_FOR) in (None, self.function_id)

    def deliver(self, messages: list[Any]) -> None:
        pending = messages
        for delivery in range(1, MAX_RECEIVE_COUNT + 1):
            if not pending:
                return
            if delivery > 1:
                self.stop.wait(RETRY_DELAY_SECONDS * 2 ** (delivery - 2))
            pending = self._invoke(pending)
        self._dead_letter(pending)

    def _invoke(self, messages: list[Any]) -> list[Any]:
        """Hands the records to the function; returns those that failed."""
        try:
            answer = self.handler(msk_event(messages), LocalLambdaContext(self.function_id))
        except Exception:
            logger.exception("consumer failed its whole batch", extra={"consumer": self.function_id})
            return messages
        failed = {
            (f["itemIdentifier"]["partition"], int(f["itemIdentifier"]["offset"]))
            for f in (answer or {}).get("batchItemFailures", [])
        }
        return [m for m in messages if (f"{m.topic()}-{m.partition()}", m.offset()) in failed]

    def _dead_letter(self, messages: list[Any]) -> None:
        failed_at = datetime.now(UTC).isoformat()
        for m in messages:
            where = [
                (SOURCE_TOPIC, m.topic()),
                (SOURCE_PARTITION, str(m.partition())),
                (SOURCE_OFFSET, str(m.offset())),
            ]
            extra = [*where, (FAILED_AT, failed_at), (DELIVERIES, str(MAX_RECEIVE_COUNT))]
            self.dead_letters.produce(
                dead_letter_topic(self.function_id),
                key=m.key(),
                value=m.value(),
                headers=[*((k, v) for k, v in m.headers() or [] if not k.startswith("dlq-")), *_encoded(extra)],
            )
        if self.dead_letters.flush(10):
            raise RuntimeError(f"the dead-letter topic of {self.function_id} did not take its records")
        logger.warning(
            "records dead-lettered after %d deliveries",
            MAX_RECEIVE_COUNT,
            extra={"consumer": self.function_id, "count": len(messages)},
        )

    def _rewind(self, messages: list[Any]) -> None:
        from confluent_kafka import TopicPartition

        first: dict[tuple[str, int], int] = {}
        for m in messages:
            first.setdefault((m.topic(), m.partition()), m.offset())
        for (topic, partition), offset in first.items():
            self.kafka_consumer.seek(TopicPartition(topic, partition, offset))


def _encoded(headers: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    return [(name, value.encode()) for name, value in headers]


def kafka_pollers(stop: threading.Event) -> list[KafkaPoller]:
    """One poller per declared consumer whose events some context publishes, each in its own consumer group; they
    share the dead-letter producer."""
    dead_letters = dead_letter_producer()
    subscribed = [(d, topics_carrying(d.declaration.event_types)) for d in registry.subscriptions()]
    return [
        KafkaPoller(declared, stop, subscribed_consumer(declared.function_id, topics), dead_letters)
        for declared, topics in subscribed
        if topics
    ]
