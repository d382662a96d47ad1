"""Events the users context publishes (besides the foundation's user_created and log_*_action)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import ClassVar

from cryptotalks.events.envelope import DomainEvent


class Purpose(StrEnum):
    """What an SMS code was sent for: a code only works for the action that asked for it."""

    SIGN_IN = "SIGN_IN"
    CHANGE_EMAIL = "CHANGE_EMAIL"
    CHANGE_PASSWORD = "CHANGE_PASSWORD"
    CLOSE_ACCOUNT = "CLOSE_ACCOUNT"
    SET_PHONE = "SET_PHONE"
    REMOVE_PHONE = "REMOVE_PHONE"
    FORGOT_PASSWORD = "FORGOT_PASSWORD"
    DELETE_POST = "DELETE_POST"


class SecurityChange(StrEnum):
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    PASSWORD_RESET = "PASSWORD_RESET"
    EMAIL_CHANGED = "EMAIL_CHANGED"
    TWO_FA_ENABLED = "TWO_FA_ENABLED"
    TWO_FA_DISABLED = "TWO_FA_DISABLED"
    PHONE_SET = "PHONE_SET"
    PHONE_REMOVED = "PHONE_REMOVED"


class ChangeEmail(DomainEvent):
    """An address change was asked for: the confirmation link goes to the new address."""

    event_type: ClassVar[str] = "change_email"
    userId: uuid.UUID
    email: str
    username: str
    confirmationType: str = "EMAIL_CHANGE"


class SendVerificationEmail(DomainEvent):
    """A password reset was asked for by email: a one-time reset code goes to the account's address."""

    event_type: ClassVar[str] = "send_verification_email"
    userId: uuid.UUID
    email: str
    username: str
    confirmationType: str = "FORGOT_PASSWORD"


class SendVerificationMobileCode(DomainEvent):
    """A one-time code goes by SMS to `phone`, for `purpose` only."""

    event_type: ClassVar[str] = "send_verification_mobile_code"
    userId: uuid.UUID
    phone: str
    purpose: Purpose


class UpdateUserAccount(DomainEvent):
    """Profile fields changed; `username` is the current one (other contexts keep copies of it)."""

    event_type: ClassVar[str] = "update_user_account"
    userId: uuid.UUID
    username: str
    fields: list[str]


class UpdateUserSecuritySettings(DomainEvent):
    """A security setting changed: the account's owner is told by email."""

    event_type: ClassVar[str] = "update_user_security_settings"
    userId: uuid.UUID
    email: str
    username: str
    change: SecurityChange


class CloseUserAccount(DomainEvent):
    """The account is gone: its picture is removed, and its former address gets a last email."""

    event_type: ClassVar[str] = "close_user_account"
    userId: uuid.UUID
    email: str
    username: str
    hadAvatar: bool = False
