"""Moderation settings, read from the environment on every use (cheap), so a changed environment applies."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ModerationSettings:
    # Reports from this many distinct members hide an item until a moderator decides...
    auto_hide_reporters: int
    # ...counting the members whose accounts are at least this old (0: every member; a forum under attack by fresh
    # sign-ups raises it).
    reporter_age: timedelta
    # Accounts younger than this are new: their writes are limited, their posts with links held under...
    new_account_age: timedelta
    # ...this reputation (the sum of the ratings of their posts and comments).
    link_reputation: int
    # Posts and comments a new account may write per hour.
    new_account_writes_per_hour: int


def moderation_settings() -> ModerationSettings:
    env = os.environ.get
    return ModerationSettings(
        auto_hide_reporters=max(1, int(env("MODERATION_AUTO_HIDE_REPORTERS", "3"))),
        reporter_age=timedelta(hours=float(env("MODERATION_REPORTER_MIN_HOURS", "0"))),
        new_account_age=timedelta(hours=float(env("NEW_ACCOUNT_HOURS", "24"))),
        link_reputation=int(env("NEW_ACCOUNT_LINK_REPUTATION", "5")),
        new_account_writes_per_hour=int(env("NEW_ACCOUNT_WRITES_PER_HOUR", "10")),
    )
