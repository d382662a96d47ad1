"""The declaration of a job function (scheduled or run on demand)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptotalks.uses import Uses

PLATFORM = "platform"  # the context of what runs for every context (migrations, the outbox relay)
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Job:
    summary: str
    schedule: str | None  # an EventBridge rate expression, e.g. "rate(1 hour)"; None: run on demand
    context: str = PLATFORM  # the bounded context it works for, if any
    uses: tuple[Uses, ...] = ()  # third parties and buckets it reaches (cryptotalks.uses)

    @property
    def interval_seconds(self) -> int | None:
        if self.schedule is None:
            return None
        found = _RATE.match(self.schedule)
        if not found:
            raise ValueError(f"unsupported schedule {self.schedule!r}: use rate(N minutes|hours|days)")
        return int(found.group(1)) * _SECONDS[found.group(2).rstrip("s")]
