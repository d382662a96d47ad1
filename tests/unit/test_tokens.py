from __future__ import annotations

import uuid
from collections.abc import Iterator

import jwt
import pytest

from cryptotalks.config import settings
from cryptotalks.credentials import tokens
from cryptotalks.errors import ApiError

USER, SESSION, TOKEN = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JWT_SECRET", "unit-test-secret-long-enough-for-hs256!")
    settings.cache_clear()
    yield
    settings.cache_clear()


def _code(error: pytest.ExceptionInfo[ApiError]) -> str:
    return error.value.code.message


def test_access_token_round_trip_with_or_without_bearer() -> None:
    token = tokens.issue_access_token(USER, SESSION)
    for header in (f"Bearer {token}", token):
        claims = tokens.read_access_token(header)
        assert (claims.user_id, claims.session_id) == (USER, SESSION)


def test_refresh_token_round_trip() -> None:
    claims = tokens.read_refresh_token(tokens.issue_refresh_token(USER, SESSION, TOKEN))
    assert (claims.user_id, claims.session_id, claims.token_id) == (USER, SESSION, TOKEN)


def test_kinds_are_not_interchangeable() -> None:
    with pytest.raises(ApiError) as refused:
        tokens.read_access_token("Bearer " + tokens.issue_refresh_token(USER, SESSION, TOKEN))
    assert _code(refused) == "invalid-token"
    with pytest.raises(ApiError) as refused:
        tokens.read_refresh_token(tokens.issue_access_token(USER, SESSION))
    assert _code(refused) == "invalid-token"


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Token abc def", "Bearer  "])
def test_corrupted_headers(header: str) -> None:
    with pytest.raises(ApiError) as refused:
        tokens.read_access_token(header)
    assert _code(refused) == "corrupted-token"


def test_expired_and_forged() -> None:
    claims = {"userId": str(USER), "sid": str(SESSION), "type": "access", "exp": 1}
    with pytest.raises(ApiError) as refused:
        tokens.read_access_token(jwt.encode(claims, settings().jwt_secret, algorithm="HS256"))
    assert _code(refused) == "token-expired"
    claims["exp"] = 2**33
    with pytest.raises(ApiError) as refused:
        tokens.read_access_token(jwt.encode(claims, "another-secret-long-enough-for-hs256!!", algorithm="HS256"))
    assert _code(refused) == "invalid-token"
    with pytest.raises(ApiError) as refused:
        tokens.read_access_token(jwt.encode(claims, "", algorithm="none"))
    assert _code(refused) == "invalid-token"


def test_lifetimes_follow_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    settings.cache_clear()
    claims = jwt.decode(tokens.issue_access_token(USER, SESSION), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 60
