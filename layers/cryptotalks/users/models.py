"""Request and response bodies of the users context (field names as in the original DTOs)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cryptotalks.security.passwords import PASSWORD_MAX_LENGTH, meets_policy

EMAIL_PATTERN = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]{2,}$")
USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,32}$"
CONFIRMATION_HASH_PATTERN = r"^[0-9a-f]{40}$"


def _email(value: str) -> str:
    if not EMAIL_PATTERN.match(value):
        raise ValueError("not an email address")
    return value


def _password(value: str) -> str:
    if not meets_policy(value):
        raise ValueError("8+ characters with upper and lower case, a digit and one of #?!@$%^&*-")
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
NewPassword = Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH), AfterValidator(_password)]
ProfileText = Annotated[str, Field(max_length=100)]


class SignUpRequest(BaseModel):
    """Only these fields are read; anything else in the body is ignored (never stored)."""

    email: Email
    password: NewPassword
    username: Annotated[str, Field(pattern=USERNAME_PATTERN)]
    tac: bool = Field(default=False, description="Terms and conditions accepted; must be true")
    firstName: ProfileText | None = None
    lastName: ProfileText | None = None
    twitter: ProfileText | None = None
    linkedIn: ProfileText | None = None
    personalWebsite: Annotated[str, Field(max_length=200)] | None = None
    title: ProfileText | None = None
    bio: Annotated[str, Field(max_length=1000)] | None = None
    publicEmail: bool = False


class SignInRequest(BaseModel):
    email: Annotated[str, Field(max_length=254)]
    password: Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH)]
    twoFaCode: Annotated[str, Field(max_length=10)] | None = None
    code: Annotated[str, Field(max_length=10)] | None = None


class UserProfile(BaseModel):
    """The signed-in user as the refresh answer carries it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    username: str
    firstName: str | None
    lastName: str | None
    twitter: str | None
    linkedIn: str | None
    personalWebsite: str | None
    title: str | None
    bio: str | None
    createdAt: datetime
    isProfilePicPresent: bool


class Account(BaseModel):
    """What sign-in learns of an account whose credentials matched."""

    id: uuid.UUID
    email: str
