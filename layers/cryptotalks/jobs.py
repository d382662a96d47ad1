"""The declaration of a job function (scheduled or run on demand)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    summary: str
    schedule: str | None  # an EventBridge schedule expression, e.g. "rate(1 hour)"; None: run on demand
