"""Business rules of the auth context.

A session per signed-in device. Each refresh rotates its refresh token; the previous one is dead, and
presenting a dead one again means it was stolen or replayed, so every session of that user ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptotalks import db, errors
from cryptotalks.auth import data
from cryptotalks.config import settings
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus, LogAuthAction

if TYPE_CHECKING:
    from cryptotalks.credentials.tokens import AccessClaims

CONTEXT = "auth"
RECENT_SIGN_IN_SECONDS = 10 * 60


@dataclass(frozen=True)
class IssuedTokens:
    user_id: uuid.UUID
    access_token: str
    refresh_token: str


def _issue(user_id: uuid.UUID, session_id: uuid.UUID, token_id: uuid.UUID, role_hint: str) -> IssuedTokens:
    # PyJWT (with cryptography) is loaded where tokens are made or read: ending sessions does without it.
    from cryptotalks.credentials import tokens

    return IssuedTokens(
        user_id,
        tokens.issue_access_token(user_id, session_id, role_hint),
        tokens.issue_refresh_token(user_id, session_id, token_id),
    )


def _log(event: str, status: ActionStatus, user_id: uuid.UUID, message: str) -> None:
    publish(LogAuthAction(event=event, status=status, userId=user_id, message=message), CONTEXT)


def open_session(user_id: uuid.UUID, role_hint: str = "member") -> IssuedTokens:
    """`role_hint`: the account's role as the users context knows it, copied into the access token for clients."""
    session_id, token_id = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as tx:
        data.insert_session(tx.conn, session_id, user_id, token_id, settings().refresh_token_ttl_seconds)
        _log("SIGN_IN", ActionStatus.SUCCESS, user_id, f"User {user_id} has successfully logged in.")
    return _issue(user_id, session_id, token_id, role_hint)


def refresh(refresh_token: str | None, role_of: Callable[[uuid.UUID], str]) -> IssuedTokens:
    """`role_of`: the users context's reading of an account's role, for the new access token's hint."""
    if not refresh_token:
        raise ApiError(errors.INVALID_TOKEN)
    from cryptotalks.credentials import tokens

    claims = tokens.read_refresh_token(refresh_token)
    new_token_id = uuid.uuid4()
    with db.transaction() as tx:
        session = data.lock_live_session(tx.conn, claims.session_id)
        replayed = session is not None and session.token_id != claims.token_id
        if replayed:
            data.revoke_all(tx.conn, claims.user_id)
            _log(
                "REFRESH",
                ActionStatus.ERROR,
                claims.user_id,
                f"A rotated refresh token of user {claims.user_id} was presented again; all sessions ended.",
            )
        elif session is not None:
            data.rotate(tx.conn, claims.session_id, new_token_id, settings().refresh_token_ttl_seconds)
    if session is None or replayed:
        raise ApiError(errors.INVALID_TOKEN)
    return _issue(claims.user_id, claims.session_id, new_token_id, role_of(claims.user_id))


def end_session(session_id: uuid.UUID, user_id: uuid.UUID) -> None:
    with db.transaction() as tx:
        data.revoke(tx.conn, session_id)
        _log("LOGOUT", ActionStatus.SUCCESS, user_id, f"User {user_id} has logged out.")


def end_other_sessions(user_id: uuid.UUID, keep: uuid.UUID) -> None:
    with db.transaction() as tx:
        data.revoke_others(tx.conn, user_id, keep)


def end_all_sessions(user_id: uuid.UUID) -> None:
    with db.transaction() as tx:
        data.revoke_all(tx.conn, user_id)


def signed_in_recently(session_id: uuid.UUID) -> bool:
    """Whether the session was opened by a password sign-in less than 10 minutes ago (refreshing keeps its age)."""
    with db.transaction() as tx:
        return data.signed_in_within(tx.conn, session_id, RECENT_SIGN_IN_SECONDS)


def authorize(header_value: str | None) -> AccessClaims:
    """The check the API's authorizer makes: a valid access token of a session that is still live."""
    if not header_value:
        raise ApiError(errors.INVALID_TOKEN)
    from cryptotalks.credentials import tokens

    claims = tokens.read_access_token(header_value)
    with db.transaction() as tx:
        if not data.is_live(tx.conn, claims.session_id, claims.user_id):
            raise ApiError(errors.SESSION_HAS_EXPIRED)
    return claims
