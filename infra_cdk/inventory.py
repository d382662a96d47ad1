"""What is deployed, read from the declarations (`functions.registry`): one function per endpoint, consumer and
job, plus the authorizer. Nothing here lists endpoints by hand; adding a module under functions/ adds a function."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptotalks.events.consumer import Subscription
from cryptotalks.http import Endpoint
from cryptotalks.jobs import PLATFORM, Job
from cryptotalks.uses import Uses
from functions import registry

SYNC_JOB = "jobs-sync-coins"  # functions/jobs/sync_coins.py: the hourly coin sync

_MAX_FUNCTION_NAME = 64


class Kind(StrEnum):
    API = "api"
    AUTHORIZER = "authorizer"
    CONSUMER = "consumer"
    JOB = "job"


@dataclass(frozen=True)
class FunctionSpec:
    function_id: str  # api-user-sign-up
    handler: str  # functions.api.user.sign_up.handler
    kind: Kind
    context: str  # the owning context: its service name in logs, traces and metrics
    summary: str
    declaration: Any = None  # the Endpoint, Subscription or Job

    def physical_name(self, prefix: str) -> str:
        """`cryptotalks-prod-api-user-sign-up`; shortened with a stable hash past Lambda's 64 characters."""
        name = f"{prefix}-{self.function_id}"
        if len(name) <= _MAX_FUNCTION_NAME:
            return name
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        return f"{name[: _MAX_FUNCTION_NAME - 9]}-{digest}"

    @property
    def uses(self) -> tuple[Uses, ...]:
        """What its declaration says it reaches (the authorizer, declared by no Endpoint, reaches nothing)."""
        return tuple(self.declaration.uses) if self.declaration is not None else ()

    @property
    def endpoint(self) -> Endpoint:
        assert isinstance(self.declaration, Endpoint)
        return self.declaration

    @property
    def subscription(self) -> Subscription[Any]:
        assert isinstance(self.declaration, Subscription)
        return self.declaration

    @property
    def job(self) -> Job:
        assert isinstance(self.declaration, Job)
        return self.declaration


def endpoints() -> list[FunctionSpec]:
    return [
        FunctionSpec(
            d.function_id,
            d.handler_path,
            Kind.API,
            d.declaration.context,
            f"{d.declaration.method} {d.declaration.path}",
            d.declaration,
        )
        for d in registry.endpoints()
    ]


def authorizer() -> FunctionSpec:
    declared = registry.Declared(registry.AUTHORIZER_MODULE, None)
    return FunctionSpec(declared.function_id, declared.handler_path, Kind.AUTHORIZER, "auth", "API authorizer")


def consumers() -> list[FunctionSpec]:
    return [
        FunctionSpec(
            d.function_id, d.handler_path, Kind.CONSUMER, d.declaration.context, d.declaration.summary, d.declaration
        )
        for d in registry.subscriptions()
    ]


def jobs() -> list[FunctionSpec]:
    return [
        FunctionSpec(
            d.function_id,
            d.handler_path,
            Kind.JOB,
            d.declaration.context,
            d.declaration.summary,
            d.declaration,
        )
        for d in registry.jobs()
    ]


def every_function() -> list[FunctionSpec]:
    return [*endpoints(), authorizer(), *consumers(), *jobs()]


def contexts() -> list[str]:
    """The bounded contexts that own functions; on Kafka each has its topic `cryptotalks.<context>`."""
    return sorted({spec.context for spec in every_function()} - {PLATFORM})
