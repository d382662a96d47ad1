"""Request and response bodies of the users context (field names as in the original DTOs)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from cryptotalks.credentials.passwords import PASSWORD_MAX_LENGTH, meets_policy
from cryptotalks.http.models import ApiModel
from cryptotalks.users.rules import Role

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


def _absent_if_empty(value: object) -> object:
    return None if value == "" else value


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
# Where the original tested a field's truth rather than its presence, its web client sends "" for "not given".
EmptyIsAbsent = BeforeValidator(_absent_if_empty)
NewPassword = Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH), AfterValidator(_password)]
ProfileText = Annotated[str, Field(max_length=100)]


class SignUpRequest(ApiModel):
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


class SignInRequest(ApiModel):
    email: Annotated[str, Field(max_length=254)]
    password: Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH)]
    twoFaCode: Annotated[str, Field(max_length=10)] | None = None
    code: Annotated[str, Field(max_length=10)] | None = None


class PersonalSettings(ApiModel):
    id: uuid.UUID
    username: str
    firstName: str | None
    lastName: str | None
    twitter: str | None
    linkedIn: str | None
    personalWebsite: str | None
    title: str | None
    bio: str | None
    createdAt: datetime


class UserProfile(PersonalSettings):
    """The signed-in user as the refresh answer carries it."""

    email: str
    isProfilePicPresent: bool


class Account(ApiModel):
    """What sign-in learns of an account whose credentials matched."""

    id: uuid.UUID
    email: str
    role: Role = Role.MEMBER


class RoleChangeRequest(ApiModel):
    """An admin grants or revokes a role; `member` is what revoking leaves."""

    username: Annotated[str, Field(max_length=32)]
    role: Literal[Role.MODERATOR, Role.ADMIN]
    action: Literal["grant", "revoke"]


class RoleChange(ApiModel):
    username: str
    role: Role = Field(description="The account's role afterwards")


PHONE_PATTERN = r"^\+[1-9]\d{6,14}$"  # E.164
Code = Annotated[str, Field(max_length=10)]
Phone = Annotated[str, Field(pattern=PHONE_PATTERN, description="E.164, e.g. +48123456789")]


class SetTwoFaRequest(ApiModel):
    twoFaToken: (
        Annotated[str, Field(pattern=r"^[A-Z2-7]{32}$", description="The base32 secret set-2fa answered")] | None
    ) = None
    twoFaCode: Code | None = None


class TwoFaSetup(ApiModel):
    """A new secret to add to an authenticator app; send it back with a code to turn 2FA on."""

    twoFaToken: str
    uri: str = Field(description="otpauth:// URI")
    qrCode: str = Field(description="The URI as a PNG QR code, a data: URL")


class RemoveTwoFaRequest(ApiModel):
    twoFaCode: Code


class SetPhoneRequest(ApiModel):
    phone: Phone
    code: Code | None = None


class RemovePhoneRequest(ApiModel):
    code: Code | None = None


CurrentPassword = Annotated[
    str,
    Field(
        max_length=PASSWORD_MAX_LENGTH,
        description="The current password; needed unless the session's password sign-in is under 10 minutes old",
    ),
]


class ChangeEmailRequest(ApiModel):
    email: Email
    currentPassword: CurrentPassword | None = None
    twoFaCode: Code | None = None
    code: Code | None = None


class ChangePasswordRequest(ApiModel):
    password: NewPassword
    passwordRepeat: Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH)]
    currentPassword: CurrentPassword | None = None
    twoFaCode: Code | None = None
    code: Code | None = None


class ForgotPasswordRequest(ApiModel):
    """Step one: `email` (or `phone`). Step two: the same with `verificationString` and the new `password`."""

    email: Annotated[str | None, Field(max_length=254), EmptyIsAbsent] = None
    phone: Annotated[str | None, Field(max_length=20), EmptyIsAbsent] = None
    verificationString: Annotated[str | None, Field(max_length=64), EmptyIsAbsent] = None
    password: Annotated[str | None, Field(max_length=PASSWORD_MAX_LENGTH), EmptyIsAbsent] = None


class CloseAccountRequest(ApiModel):
    password: Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH)]
    code: Code | None = Field(default=None, description="The authenticator or SMS code of the step-up")


class PersonalSettingsRequest(ApiModel):
    """Fields left out stay as they are; anything else in the body is ignored."""

    username: Annotated[str, Field(pattern=USERNAME_PATTERN)] | None = None
    firstName: ProfileText | None = None
    lastName: ProfileText | None = None
    title: ProfileText | None = None
    bio: Annotated[str, Field(max_length=1000)] | None = None
    twitter: ProfileText | None = None
    linkedIn: ProfileText | None = None
    personalWebsite: Annotated[str, Field(max_length=200)] | None = None
    publicEmail: bool | None = None


class UploadPhotoRequest(ApiModel):
    photo: Annotated[str, Field(max_length=3_000_000, description="data:image/...;base64,... or bare base64")]


class PhotoUploaded(ApiModel):
    message: str = "success"
    url: str = Field(description="Where the picture can be fetched (a presigned URL, valid one hour)")


class SecuritySettings(ApiModel):
    publicEmail: bool
    emailChanged: bool
    passwordChanged: datetime | None
    phone: str | None
    email: str
    twoFaToken: bool = Field(description="Whether authenticator 2FA is on (the secret itself is never answered)")


class UserSettings(ApiModel):
    isProfilePicPresent: bool
    profilePicUrl: str | None
    securitySettings: SecuritySettings
    personalSettings: PersonalSettings


class PublicProfile(PersonalSettings):
    email: str | None = Field(description="Only when the user made it public")
    isProfilePicPresent: bool
    profilePicUrl: str | None


class PublicProfileResponse(ApiModel):
    data: PublicProfile
