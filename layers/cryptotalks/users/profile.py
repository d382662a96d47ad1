"""Business rules of settings and profiles: personal settings, the picture, the public profile page."""

from __future__ import annotations

import uuid
from typing import Any

from cryptotalks import db, errors
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus, LogUserAction
from cryptotalks.users import avatars, data
from cryptotalks.users.data import AccountRow
from cryptotalks.users.events import UpdateUserAccount
from cryptotalks.users.models import (
    PersonalSettings,
    PersonalSettingsRequest,
    PublicProfile,
    SecuritySettings,
    UserProfile,
    UserSettings,
)
from cryptotalks.users.second_factor import account_of

CONTEXT = "users"


def _picture_url(account: AccountRow) -> str | None:
    return avatars.url(account.id) if account.avatar_uploaded_at else None


def _personal(account: AccountRow) -> dict[str, Any]:
    return {
        "id": account.id,
        "username": account.username,
        "firstName": account.first_name,
        "lastName": account.last_name,
        "twitter": account.twitter,
        "linkedIn": account.linked_in,
        "personalWebsite": account.personal_website,
        "title": account.title,
        "bio": account.bio,
        "createdAt": account.created_at,
    }


def user_settings(user_id: uuid.UUID) -> UserSettings:
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
    return UserSettings(
        isProfilePicPresent=account.avatar_uploaded_at is not None,
        profilePicUrl=_picture_url(account),
        securitySettings=SecuritySettings(
            publicEmail=account.public_email,
            emailChanged=account.email_changed,
            passwordChanged=account.password_changed,
            phone=account.phone,
            email=account.email,
            twoFaToken=account.two_fa_secret is not None,
        ),
        personalSettings=PersonalSettings(**_personal(account)),
    )


def update_personal_settings(user_id: uuid.UUID, request: PersonalSettingsRequest) -> None:
    changes = request.model_dump(exclude_unset=True, exclude={"publicEmail"})
    if changes.get("username") is None:
        changes.pop("username", None)  # every account keeps a name: null leaves it as it is
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        username = changes.get("username") or account.username
        if "username" in changes and data.username_taken_by_other(tx.conn, username, user_id):
            raise ApiError(errors.USERNAME_TAKEN)
        if changes:
            data.update_profile(tx.conn, user_id, changes)
        if request.publicEmail is not None:
            data.update_settings(tx.conn, user_id, public_email=request.publicEmail)
        fields = sorted(request.model_fields_set)
        publish(UpdateUserAccount(userId=user_id, username=username, fields=fields), CONTEXT)
        publish(
            LogUserAction(
                event="SETTINGS",
                status=ActionStatus.SUCCESS,
                userId=user_id,
                message=f"User {user_id} has successfully updated personal settings: {', '.join(fields)}",
            ),
            CONTEXT,
        )


def upload_photo(user_id: uuid.UUID, photo: str) -> str:
    """Stores the picture; returns where it can be fetched."""
    raw, media_type = avatars.decode_image(photo)
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        avatars.store(user_id, raw, media_type)
        data.set_avatar_uploaded(tx.conn, user_id)
        publish(UpdateUserAccount(userId=user_id, username=account.username, fields=["photo"]), CONTEXT)
    return avatars.url(user_id)


def public_profile(username: str) -> PublicProfile:
    with db.transaction() as tx:
        account = data.find_by_username(tx.conn, username)
    if account is None:
        raise ApiError(errors.USER_NOT_FOUND)
    return PublicProfile(
        **_personal(account),
        email=account.email if account.public_email else None,
        isProfilePicPresent=account.avatar_uploaded_at is not None,
        profilePicUrl=_picture_url(account),
    )


def own_profile(user_id: uuid.UUID) -> UserProfile:
    """What the signed-in user's client shows of them (the refresh answer's `user`)."""
    with db.transaction() as tx:
        profile = data.find_profile(tx.conn, user_id)
    if profile is None:
        raise ApiError(errors.USER_NOT_FOUND)
    return profile
