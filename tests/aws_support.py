"""moto's AWS in the tests' process, provisioned once per run and brought back before each test to what provisioning
leaves: provisioning (about 75 API calls) and the pipeline's clients cost more than most tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from cryptotalks_dev.aws import provision
from tests.support import Pipeline


class MotoAws:
    """The bus, a rule and a queue (with its dead-letter queue) per subscription and the avatars bucket, made once.
    moto intercepts boto3 only inside `active()` and keeps its state in between; clients made here keep working
    from one activation to the next."""

    def __init__(self, bus_name: str) -> None:
        import boto3
        from moto import mock_aws

        from cryptotalks.users import avatars

        self.bus_name, self.bucket = bus_name, avatars.bucket()
        self.mock = mock_aws()
        with self.active():
            self.queues = provision(bus_name, visibility_timeout=1)
            self.pipeline = Pipeline(self.queues)
            self.events, self.sqs, self.s3 = boto3.client("events"), boto3.client("sqs"), boto3.client("s3")
            self.provisioned = self._layout()

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        from moto.core.custom_responses_mock import reset_responses_mock
        from moto.core.models import responses_mock

        self.mock.start(reset=False)
        try:
            yield
        finally:
            self.mock.stop(remove_data=False)
            # Each start registers moto's URL patterns with `responses` again, and only a reset (which also empties
            # the backends) clears them: cleared here, or every request would be matched against more of them.
            reset_responses_mock(responses_mock)

    def clean(self) -> None:
        """As just provisioned: what a test took down (the bus, a rule, a target) put back, every queue and
        dead-letter queue empty, the bucket empty. Call it while active."""
        if self._layout() != self.provisioned:
            provision(self.bus_name, visibility_timeout=1)
        # moto refuses a second purge of a queue within 60 s, as SQS does, unless told not to.
        with pytest.MonkeyPatch.context() as moto_settings:
            moto_settings.setenv("MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR", "false")
            for queue in self.queues:
                self.sqs.purge_queue(QueueUrl=queue.queue_url)
                self.sqs.purge_queue(QueueUrl=queue.dead_letter_url)
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            if page.get("Contents"):
                keys = [{"Key": stored["Key"]} for stored in page["Contents"]]
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

    def _layout(self) -> dict[str, Any]:
        """Whether the bucket is there, and the bus's rules by name with their patterns and targets (none when the
        bus is gone)."""
        layout: dict[str, Any] = {"bucket": self.bucket in {b["Name"] for b in self.s3.list_buckets()["Buckets"]}}
        if self.bus_name not in {bus["Name"] for bus in self.events.list_event_buses()["EventBuses"]}:
            return layout
        return layout | {
            rule["Name"]: (
                rule.get("EventPattern"),
                self.events.list_targets_by_rule(Rule=rule["Name"], EventBusName=self.bus_name)["Targets"],
            )
            for rule in self.events.list_rules(EventBusName=self.bus_name)["Rules"]
        }
