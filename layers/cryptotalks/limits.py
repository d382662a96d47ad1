"""Counted limits, each changeable with `LIMIT_<NAME>` (e.g. `LIMIT_FAILURES_PER_CLIENT`), and the limits per
account and per number on messages that more than one context sends (users' one-time codes and links, notices'
notifications), each context counting its own messages."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

MINUTES = 60
HOUR = 3600


@dataclass(frozen=True)
class Limit:
    name: str
    default_count: int
    window_seconds: int
    then_every_seconds: int | None = None  # beyond the count: one more each so many seconds, instead of none

    @property
    def count(self) -> int:
        return int(os.environ.get("LIMIT_" + re.sub(r"\W", "_", self.name).upper(), self.default_count))


SMS_FOR_ACCOUNT = Limit("sms-per-account", 5, HOUR)
SMS_TO_NUMBER = Limit("sms-per-number", 5, HOUR)
EMAIL_FOR_ACCOUNT = Limit("emails-per-account", 5, HOUR)
