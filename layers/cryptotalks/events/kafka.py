"""Kafka (Amazon MSK on AWS): topics, client settings and the publisher adapter.

- One topic per publishing context, `cryptotalks.<context>` (the envelope's `source`).
- The record's key is the aggregate id (`DomainEvent.aggregate_id_field`), so one aggregate's events stay in
  order; the value is the envelope as JSON; the header `type` carries the event type, so a consumer can skip
  what it does not take without parsing the value.
- A consumer's dead letters go to its own topic `cryptotalks.dlq.<function id>` (the local runtime's pollers;
  on AWS, the on-failure destination of the event source mapping).

Environment: `KAFKA_BOOTSTRAP_SERVERS` (comma-separated host:port), `KAFKA_AUTH` (`none`, or `iam` for MSK's
IAM listener through SASL/OAUTHBEARER tokens signed with the function's role), `KAFKA_PUBLISH_TIMEOUT_SECONDS`
(how long a publish waits for the brokers' acknowledgement, default 5).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

from cryptotalks.events.discovery import every_event_type
from cryptotalks.events.envelope import Envelope
from cryptotalks.observability import logger

TOPIC_PREFIX = "cryptotalks."
TYPE_HEADER = "type"
RETRY_AFTER_SECONDS = 5.0  # after a publish timed out, publishing fails fast for this long


def topic_of(context: str) -> str:
    return f"{TOPIC_PREFIX}{context}"


def dead_letter_topic(function_id: str) -> str:
    return f"{TOPIC_PREFIX}dlq.{function_id}"


def client_config() -> dict[str, Any]:
    """What every client of the brokers needs (producer, consumer, admin)."""
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not servers:
        raise RuntimeError("EVENT_BUS=kafka needs KAFKA_BOOTSTRAP_SERVERS")
    config: dict[str, Any] = {
        "bootstrap.servers": servers,
        "client.id": os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "cryptotalks"),
    }
    auth = os.environ.get("KAFKA_AUTH", "none")
    if auth == "iam":
        import certifi  # librdkafka in the wheel does not find the system's CA certificates on every image

        config.update(
            {
                "security.protocol": "SASL_SSL",
                "sasl.mechanisms": "OAUTHBEARER",
                "oauth_cb": _msk_iam_token,
                "ssl.ca.location": certifi.where(),
            }
        )
    elif auth != "none":
        raise RuntimeError(f"KAFKA_AUTH={auth!r}: use none or iam")
    return config


def _msk_iam_token(_oauthbearer_config: str) -> tuple[str, float]:
    """A SASL/OAUTHBEARER token for MSK's IAM listener, signed with the function's credentials (no call)."""
    from aws_msk_iam_sasl_signer import MSKAuthTokenProvider

    token, expires_at_ms = MSKAuthTokenProvider.generate_auth_token(os.environ["AWS_REGION"])
    return token, expires_at_ms / 1000


class KafkaPublisher:
    """An idempotent producer (acks from all in-sync replicas, no duplicates on its own retries), shared by the
    process's threads (the local runtime's request threads).

    A publish waits for the acknowledgements of its own messages, up to the timeout: not for every thread's, as a
    flush would, which under steady publishing from several threads waits for messages produced after its own.
    What is not acknowledged by then is withdrawn from the producer's queue and reported unsent, so the outbox
    relay sends it later. After such a timeout publishing fails fast for a few seconds, so requests do not each
    wait while the brokers are unreachable."""

    def __init__(self, timeout_seconds: float | None = None) -> None:
        from confluent_kafka import Producer

        every_event_type()  # record keys are read from the payload models of every type
        self._timeout = timeout_seconds or float(os.environ.get("KAFKA_PUBLISH_TIMEOUT_SECONDS", "5"))
        self._producer = Producer(
            {
                **client_config(),
                "enable.idempotence": True,
                "acks": "all",
                # Sent at once: a request waits for its events' acknowledgement (messages that other threads
                # produce meanwhile go in the same request to the brokers all the same).
                "linger.ms": 0,
                "message.timeout.ms": 30_000,  # the publish gives up first (timeout above) and withdraws the rest
            }
        )
        # One thread at a time serves the delivery reports (every thread's): the others wait for their turn and
        # find theirs served.
        self._reporting = threading.Lock()
        self._unreachable_until = 0.0

    def publish(self, envelopes: list[Envelope]) -> list[Envelope]:
        if time.monotonic() < self._unreachable_until:
            return []
        reports = _Reports(envelopes)
        for envelope in envelopes:
            self._producer.produce(
                topic_of(envelope.source),
                key=envelope.aggregate_id,
                value=envelope.model_dump_json().encode(),
                headers=[(TYPE_HEADER, envelope.type.encode())],
                on_delivery=reports.recorder(envelope),
            )
        if not self._await(reports, time.monotonic() + self._timeout):
            self._producer.purge(in_queue=True)
            with self._reporting:
                self._producer.poll(0)  # serves the withdrawn messages' reports
            self._unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "Kafka did not acknowledge in time; the outbox relay will send the rest",
                extra={"sent": len(reports.delivered), "unsent": len(envelopes) - len(reports.delivered)},
            )
        return list(reports.delivered)  # a copy: reports served late (after the timeout) do not change it

    def _await(self, reports: _Reports, deadline: float) -> bool:
        """Serves delivery reports until all of `reports` are in; False if the deadline came first."""
        while not reports.complete():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._reporting.acquire(timeout=remaining):
                return False
            try:
                if not reports.complete():
                    # Returns once it has served a report (this thread's or another's) or the time is up.
                    self._producer.poll(min(remaining, _REPORT_WAIT_SECONDS))
            finally:
                self._reporting.release()
        return True


_REPORT_WAIT_SECONDS = 0.1  # a thread serving reports for others hands over at least this often


class _Reports:
    """The delivery reports of one publish's messages."""

    def __init__(self, envelopes: list[Envelope]) -> None:
        self.delivered: list[Envelope] = []
        self._outstanding = len(envelopes)

    def recorder(self, envelope: Envelope) -> Callable[[Any, Any], None]:
        def on_delivery(error: Any, _message: Any) -> None:
            self._outstanding -= 1
            if error is None:
                self.delivered.append(envelope)

        return on_delivery

    def complete(self) -> bool:
        return self._outstanding == 0
