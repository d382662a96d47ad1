"""The refresh token's cookie: `_rt`, httpOnly, SameSite=Strict, Secure when served over HTTPS."""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from cryptotalks.config import settings

REFRESH_COOKIE = "_rt"


def refresh_cookie(token: str) -> Cookie:
    config = settings()
    return Cookie(
        name=REFRESH_COOKIE,
        value=token,
        path="/",
        secure=config.secure_cookies,
        http_only=True,
        same_site=SameSite.STRICT_MODE,
        max_age=config.refresh_token_ttl_seconds,
    )


def cleared_refresh_cookie() -> Cookie:
    return Cookie(
        name=REFRESH_COOKIE,
        value="",
        path="/",
        secure=settings().secure_cookies,
        http_only=True,
        same_site=SameSite.STRICT_MODE,
        expires=datetime(1970, 1, 1, tzinfo=UTC),
    )
