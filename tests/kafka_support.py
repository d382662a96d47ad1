"""Kafka in the tests: the pipeline that delivers what was published to every consumer through the real broker,
as `tests.support.Pipeline` does through moto's queues."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from confluent_kafka import Consumer, Producer, TopicPartition

from cryptotalks.events.kafka import TYPE_HEADER, client_config
from cryptotalks_dev.dead_letters import TopicDeadLetters
from cryptotalks_dev.event_catalogue import publishing_contexts
from cryptotalks_dev.kafka_broker import ensure_topics
from cryptotalks_dev.kafka_pollers import CONSUMER_SETTINGS, KafkaPoller, dead_letter_producer
from functions import registry

Offsets = dict[tuple[str, int], int]
BARRIER = b"test-barrier"  # a record no consumer takes: its offset marks a point in its partition


class KafkaPipeline:
    """A poller per consumer, as `cryptotalks dev --bus kafka` runs them, but each reading from where the topics
    ended when the pipeline was made (so one test does not see another's records), and driven by `drain()`.

    Where a partition ends is learnt by writing a barrier record to it: the broker's answer gives its exact
    offset. (tansu's high watermarks count record batches, not records, so they cannot tell.)"""

    def __init__(self) -> None:
        topics = ensure_topics(publishing_contexts())
        self.producer = Producer(client_config())
        known = self.producer.list_topics(timeout=10).topics
        self.partitions = [(t, p) for t in topics for p in sorted(known[t].partitions)]
        self.starts = self.barrier()
        self.dead_letters = dead_letter_producer()
        self.pollers = [
            KafkaPoller(declared, threading.Event(), self._consumer(declared.function_id), self.dead_letters)
            for declared in registry.subscriptions()
        ]

    def barrier(self) -> Offsets:
        """Writes a barrier to every partition; returns the offsets just past them."""
        after: Offsets = {}

        def noted(error: Any, message: Any) -> None:
            assert error is None, error
            after[(message.topic(), message.partition())] = message.offset() + 1

        for topic, partition in self.partitions:
            self.producer.produce(
                topic, partition=partition, value=b"", headers=[(TYPE_HEADER, BARRIER)], on_delivery=noted
            )
        assert self.producer.flush(10) == 0
        return after

    def _consumer(self, function_id: str) -> Any:
        consumer = Consumer({**client_config(), **CONSUMER_SETTINGS, "group.id": f"test-{uuid.uuid4()}-{function_id}"})
        consumer.assign([TopicPartition(t, p, offset) for (t, p), offset in self.starts.items()])
        return consumer

    def _read_up_to(self, consumer: Any, ends: Offsets) -> bool:
        """Whether the consumer has read everything before `ends` (a partition it read nothing of is at its start)."""
        positions = consumer.position([TopicPartition(t, p) for t, p in self.partitions])
        return all(
            (tp.offset if tp.offset >= 0 else self.starts[(tp.topic, tp.partition)]) >= ends[(tp.topic, tp.partition)]
            for tp in positions
        )

    def drain(self) -> int:
        """Deliver until every consumer has read every record, also those its consumers published meanwhile;
        returns how many records were handed to consumers."""
        handed = 0
        while True:
            ends = self.barrier()
            now = 0
            for poller in self.pollers:
                while not self._read_up_to(poller.kafka_consumer, ends):
                    now += poller.poll_once(timeout=0.2)
            if not now:
                return handed
            handed += now

    def take(self, function_id: str) -> list[Any]:
        """The records the consumer's poller would hand it now: read, passed over or not, but not delivered."""
        poller, ends, taken = self.poller_of(function_id), self.barrier(), []
        while not self._read_up_to(poller.kafka_consumer, ends):
            taken += [m for m in poller.kafka_consumer.consume(100, 0.2) if not m.error() and poller.takes(m)]
        return taken

    def records_since_start(self, topic: str) -> list[Any]:
        """Every record written to the topic since the pipeline was made, but the barriers."""
        ends = self.barrier()
        reader = self._consumer(f"reader-{topic}")
        records = []
        while not self._read_up_to(reader, ends):
            records += [m for m in reader.consume(100, 0.2) if not m.error() and m.topic() == topic]
        reader.close()
        return [m for m in records if dict(m.headers() or []).get(TYPE_HEADER) != BARRIER]

    def poller_of(self, function_id: str) -> KafkaPoller:
        return next(p for p in self.pollers if p.function_id == function_id)

    def close(self) -> None:
        for poller in self.pollers:
            poller.kafka_consumer.close()


def skip_dead_letters(function_id: str) -> None:
    """Marks the consumer's dead letters so far as handled, so a test sees only its own."""
    dead_letters = TopicDeadLetters()
    consumer, records = dead_letters.pending(function_id)
    dead_letters.mark_handled(consumer, records)
    consumer.close()
