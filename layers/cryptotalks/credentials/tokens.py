"""Access and refresh tokens (HS256 JWTs signed with the configured secret).

Access: `{userId, sid, role, type: "access"}`, 15 minutes; `role` is a hint (which links a client shows), never a
permission: routes that need a role read it from the database (`users.roles`). Refresh: `{sub, sid, jti,
type: "refresh"}`, 7 days.
Each kind is refused where the other is expected.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from cryptotalks import errors
from cryptotalks.config import settings
from cryptotalks.errors import ApiError

_ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role_hint: str = "member"


@dataclass(frozen=True)
class RefreshClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: uuid.UUID


def _encode(claims: dict[str, object], ttl_seconds: int) -> str:
    now = datetime.now(UTC)
    return jwt.encode(
        {**claims, "iat": now, "exp": now + timedelta(seconds=ttl_seconds)},
        settings().jwt_secret,
        algorithm=_ALGORITHM,
    )


def _decode(token: str, kind: str) -> dict[str, object]:
    try:
        claims = jwt.decode(token, settings().jwt_secret, algorithms=[_ALGORITHM], options={"require": ["exp"]})
    except jwt.ExpiredSignatureError:
        raise ApiError(errors.TOKEN_EXPIRED) from None
    except jwt.PyJWTError:
        raise ApiError(errors.INVALID_TOKEN) from None
    if claims.get("type") != kind:
        raise ApiError(errors.INVALID_TOKEN)
    return claims


def issue_access_token(user_id: uuid.UUID, session_id: uuid.UUID, role_hint: str = "member") -> str:
    return _encode(
        {"userId": str(user_id), "sid": str(session_id), "role": role_hint, "type": "access"},
        settings().access_token_ttl_seconds,
    )


def issue_refresh_token(user_id: uuid.UUID, session_id: uuid.UUID, token_id: uuid.UUID) -> str:
    return _encode(
        {"sub": str(user_id), "sid": str(session_id), "jti": str(token_id), "type": "refresh"},
        settings().refresh_token_ttl_seconds,
    )


def read_access_token(header_value: str) -> AccessClaims:
    """`Bearer <jwt>` as the original sends it; a bare token is accepted too."""
    parts = header_value.split()
    if len(parts) == 2 and parts[0] == "Bearer":
        token = parts[1]
    elif len(parts) == 1 and parts[0] != "Bearer":
        token = parts[0]
    else:
        raise ApiError(errors.CORRUPTED_TOKEN)
    claims = _decode(token, "access")
    try:
        return AccessClaims(
            uuid.UUID(str(claims["userId"])), uuid.UUID(str(claims["sid"])), str(claims.get("role", "member"))
        )
    except (KeyError, ValueError):
        raise ApiError(errors.INVALID_TOKEN) from None


def read_refresh_token(token: str) -> RefreshClaims:
    claims = _decode(token, "refresh")
    try:
        return RefreshClaims(
            uuid.UUID(str(claims["sub"])), uuid.UUID(str(claims["sid"])), uuid.UUID(str(claims["jti"]))
        )
    except (KeyError, ValueError):
        raise ApiError(errors.INVALID_TOKEN) from None


UNSUBSCRIBE_TTL_SECONDS = 365 * 24 * 3600  # an email's link keeps working for a year


def issue_unsubscribe_token(user_id: uuid.UUID, kind: str) -> str:
    """The signed token of an email's one-click unsubscribe link: whose emails of which kind stop."""
    return _encode({"sub": str(user_id), "kind": kind, "type": "unsubscribe"}, UNSUBSCRIBE_TTL_SECONDS)


def read_unsubscribe_token(token: str) -> tuple[uuid.UUID, str]:
    claims = _decode(token, "unsubscribe")
    try:
        return uuid.UUID(str(claims["sub"])), str(claims["kind"])
    except (KeyError, ValueError):
        raise ApiError(errors.INVALID_TOKEN) from None
