"""Payload models of the foundation's events, named as the original system's topics. A context adds its own
events in its `events.py`; all of them join `DomainEvent.catalogue`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from cryptotalks.events.envelope import DomainEvent


class UserCreated(DomainEvent):
    """A new account: users sends the confirmation email. The secret link is made by the consumer,
    so it never travels on the bus."""

    event_type: ClassVar[str] = "user_created"
    userId: uuid.UUID
    email: str
    username: str
    publicEmail: bool = False
    confirmationType: str = "REGISTRATION"


class CryptoForUserCreated(DomainEvent):
    event_type: ClassVar[str] = "crypto_for_user_created"
    userId: uuid.UUID


class ActionStatus(StrEnum):
    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


class ActionLog(DomainEvent):
    """An entry of the action log. Messages name ids, never secrets (passwords, tokens, codes, hashes)."""

    event: str = Field(description="What happened, e.g. SIGN_UP, SIGN_IN, CONFIRMATION")
    status: ActionStatus
    message: str
    timestamp: datetime = Field(default_factory=lambda: datetime.now(UTC))
    userId: uuid.UUID | None = None


class LogAuthAction(ActionLog):
    event_type: ClassVar[str] = "log_auth_action"


class LogUserAction(ActionLog):
    event_type: ClassVar[str] = "log_user_action"
