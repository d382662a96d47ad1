"""Events the users context publishes (besides the foundation's user_created and log_*_action)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

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
    EMAIL_CHANGE_REQUESTED = "EMAIL_CHANGE_REQUESTED"
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
    """A password reset was asked for by email: if an account has that address, a one-time reset code goes to it.
    The consumer looks the account up, so that the request does the same work whether or not one exists."""

    event_type: ClassVar[str] = "send_verification_email"
    email: str
    confirmationType: str = "FORGOT_PASSWORD"


class SendVerificationMobileCode(DomainEvent):
    """A one-time code goes by SMS to `phone`, for `purpose` only. Without `userId` (a password reset asked for by
    number) the consumer looks up the account with that number, and texts nothing if there is none."""

    event_type: ClassVar[str] = "send_verification_mobile_code"
    userId: uuid.UUID | None = None
    phone: str
    purpose: Purpose


class UpdateUserAccount(DomainEvent):
    """Profile fields changed; `username` is the current one (other contexts keep copies of it)."""

    event_type: ClassVar[str] = "update_user_account"
    userId: uuid.UUID
    username: str
    fields: list[str]


class UpdateUserSecuritySettings(DomainEvent):
    """A security setting changed: the account's owner is told by email, with when (the envelope's time)."""

    event_type: ClassVar[str] = "update_user_security_settings"
    userId: uuid.UUID
    email: str
    username: str
    change: SecurityChange
    maskedEmail: str | None = Field(default=None, description="The new address, masked (an asked-for change)")


class CloseUserAccount(DomainEvent):
    """The account is gone: its picture is removed, and its former address gets a last email."""

    event_type: ClassVar[str] = "close_user_account"
    userId: uuid.UUID
    email: str
    username: str
    hadAvatar: bool = False


class CloseAccountDeletePosts(DomainEvent):
    """An account was closed: the posts context deletes its posts, the comments on them and its votes."""

    event_type: ClassVar[str] = "close_account_delete_posts"
    userId: uuid.UUID


class CloseAccountCoins(DomainEvent):
    """An account was closed: the crypto context deletes its favourites."""

    event_type: ClassVar[str] = "close_account_coins"
    userId: uuid.UUID


class SignedInFromNewDevice(DomainEvent):
    """The account signed in from a client (address) it had not signed in from before; not published for the
    account's very first sign-in."""

    event_type: ClassVar[str] = "signed_in_from_new_device"
    userId: uuid.UUID
    client: str = Field(description="The client's address, as API Gateway saw it")


class UpdateUserContact(DomainEvent):
    """The account's current contact details, after its email address changed or its phone number (verified by a
    code sent to it) was set or removed: contexts that message the user keep copies."""

    event_type: ClassVar[str] = "update_user_contact"
    userId: uuid.UUID
    email: str
    phone: str | None = Field(default=None, description="The verified phone number, if any")
