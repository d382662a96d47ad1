"""AWS for the local runtime and the tests: moto's server (unless `AWS_ENDPOINT_URL`), and the bus,
rules and queues created from the same declarations the CDK stack reads."""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from cryptotalks_dev import moto_server
from cryptotalks_dev.lambda_context import REGION
from cryptotalks_dev.moto_speedups import speed_up_moto
from functions import registry

speed_up_moto()  # for the tests' moto, in their process; the local runtime's runs in cryptotalks_dev.moto_server

MAX_RECEIVE_COUNT = 3  # deliveries before a message goes to the dead-letter queue
READY_WITHIN_SECONDS = 60  # for moto's server to start (imports and all, on a busy machine)
STOPPED_WITHIN_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def aws_endpoint() -> Iterator[str]:
    """Yields the endpoint URL of the AWS APIs; sets the environment boto3 reads. Without AWS_ENDPOINT_URL, that is
    moto's server in a process of its own (cryptotalks_dev.moto_server), started here and stopped on exit."""
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    url = os.environ.get("AWS_ENDPOINT_URL")
    if url:
        yield url
        return
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (this interpreter, our module, our arguments)
        [sys.executable, "-m", "cryptotalks_dev.moto_server", str(port)],
        stdin=subprocess.PIPE,  # closed when this process ends, however it ends: the server then stops
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_ready(server)
        os.environ["AWS_ENDPOINT_URL"] = url = f"http://127.0.0.1:{port}"
        try:
            yield url
        finally:
            del os.environ["AWS_ENDPOINT_URL"]
    finally:
        server.terminate()
        try:
            server.wait(STOPPED_WITHIN_SECONDS)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_ready(server: subprocess.Popen[str]) -> None:
    assert server.stdout is not None
    ready, _, _ = select.select([server.stdout], [], [], READY_WITHIN_SECONDS)
    line = server.stdout.readline().strip() if ready else ""
    if line != moto_server.READY:
        raise RuntimeError(
            f"moto's server did not start within {READY_WITHIN_SECONDS} s (exit code {server.poll()}): {line!r}"
        )


def queue_name(function_id: str) -> str:
    """The consumer's queue; its dead-letter queue is named the same with `-dlq`."""
    return f"cryptotalks-{function_id}"


@dataclass(frozen=True)
class ConsumerQueue:
    consumer: registry.Declared[Any]
    queue_url: str
    dead_letter_url: str


def _ensure_queue(sqs: Any, name: str, attributes: dict[str, str]) -> tuple[str, str]:
    """Create the queue, or bring an existing one (a restart against LocalStack) to these attributes."""
    try:
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("QueueAlreadyExists", "QueueNameExists"):
            raise
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        if attributes:
            sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def provision(bus_name: str, visibility_timeout: int = 5) -> list[ConsumerQueue]:
    """The avatars bucket, the event bus, and per subscription a rule → queue (with its dead-letter queue)."""
    import boto3

    from cryptotalks.users import avatars

    boto3.client("s3").create_bucket(Bucket=avatars.bucket())  # no error if it is already ours
    events, sqs = boto3.client("events"), boto3.client("sqs")
    if bus_name not in {b["Name"] for b in events.list_event_buses()["EventBuses"]}:
        events.create_event_bus(Name=bus_name)
    queues = []
    for declared in registry.subscriptions():
        name = queue_name(declared.function_id)
        dead_letter_url, dead_letter_arn = _ensure_queue(sqs, f"{name}-dlq", {})
        redrive = {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": MAX_RECEIVE_COUNT}
        queue_url, queue_arn = _ensure_queue(
            sqs, name, {"VisibilityTimeout": str(visibility_timeout), "RedrivePolicy": json.dumps(redrive)}
        )
        events.put_rule(
            Name=name,
            EventBusName=bus_name,
            EventPattern=json.dumps({"detail-type": declared.declaration.event_types}),
        )
        events.put_targets(Rule=name, EventBusName=bus_name, Targets=[{"Id": "queue", "Arn": queue_arn}])
        queues.append(ConsumerQueue(declared, queue_url, dead_letter_url))
    return queues
