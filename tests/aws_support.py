"""moto's AWS in the tests' process, provisioned once per run and brought back before each test to what provisioning
leaves. Provisioning (about 75 API calls) and the pipeline's clients cost more than most tests; the reset reads and
empties moto's backends directly, as moto's documentation allows, rather than through ~50 more API calls."""

from __future__ import annotations

import contextlib
import os
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
            self.s3 = boto3.client("s3")
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
        """As just provisioned: what a test took down (the bucket, the bus, a rule, a target) put back, every
        queue and dead-letter queue empty, the bucket empty. Call it while active."""
        if self._layout() != self.provisioned:
            provision(self.bus_name, visibility_timeout=1)
        sqs = _backend("sqs")
        # moto refuses a second purge of a queue within 60 s, as SQS does, unless told not to.
        with pytest.MonkeyPatch.context() as moto_settings:
            moto_settings.setenv("MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR", "false")
            for name in list(sqs.queues):
                sqs.purge_queue(name)
        stored = self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        while stored:
            self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": o["Key"]} for o in stored]})
            stored = self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])

    def _layout(self) -> tuple[bool, dict[str, Any] | None]:
        """Whether the bucket is there, and the bus's rules by name with their patterns and targets (None without
        the bus)."""
        bus = _backend("events").event_buses.get(self.bus_name)
        rules = (
            {n: (r.event_pattern.dump(), [dict(t) for t in r.targets]) for n, r in bus.rules.items()} if bus else None
        )
        return self.bucket in _backend("s3", "global").buckets, rules


def _backend(service: str, region: str | None = None) -> Any:
    from moto.backends import get_backend
    from moto.core import DEFAULT_ACCOUNT_ID

    return get_backend(service)[DEFAULT_ACCOUNT_ID][region or os.environ["AWS_DEFAULT_REGION"]]  # type: ignore[call-overload]
