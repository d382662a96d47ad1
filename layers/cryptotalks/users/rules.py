"""The users context's pure rules, without a database: the roles, what a step-up asks for and how often a password
changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum, StrEnum

PASSWORD_CHANGE_INTERVAL = timedelta(hours=24)


class Role(StrEnum):
    """An account's role; each includes the ones before it (`users.roles`)."""

    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class StepUpNeed(Enum):
    NOTHING = "nothing"  # no second factor: the action goes on
    ASK_TOTP = "ask-totp"
    CHECK_TOTP = "check-totp"
    SEND_SMS = "send-sms"
    CHECK_SMS = "check-sms"


def step_up_need(has_totp: bool, has_phone: bool, two_fa_code: str | None, sms_code: str | None) -> StepUpNeed:
    """An authenticator app comes before a phone (a user has one of them); a factor's code is asked for until one
    comes along, and an SMS code given without a phone, or beside an app, is not looked at."""
    if has_totp:
        return StepUpNeed.CHECK_TOTP if two_fa_code else StepUpNeed.ASK_TOTP
    if has_phone:
        return StepUpNeed.CHECK_SMS if sms_code else StepUpNeed.SEND_SMS
    return StepUpNeed.NOTHING


def may_change_password(changed_at: datetime | None, now: datetime) -> bool:
    """Once a day at most: a stolen session cannot keep changing the password away from its owner."""
    return changed_at is None or now - changed_at >= PASSWORD_CHANGE_INTERVAL
