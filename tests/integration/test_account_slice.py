"""The account slice through the API as the gateway serves it: real PostgreSQL, moto, real consumers."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from cryptotalks import db
from tests.support import STRONG_PASSWORD, Api, mailbox


def test_sign_up_stores_only_documented_fields_and_mails_a_link(api: Api, database: db.Connection) -> None:
    answer = api.sign_up(
        "ann@example.com",
        "ann",
        accountConfirm=True,
        id="00000000-0000-0000-0000-000000000000",
        firstName="Ann",
        bio="hodl",
    )
    assert (answer.status, answer.body) == (201, {"message": "success"})
    row = database.execute("SELECT * FROM users.users").fetchone()
    assert row is not None
    assert row["account_confirmed"] is False  # accountConfirm in the body is ignored
    assert str(row["id"]) != "00000000-0000-0000-0000-000000000000"
    assert (row["first_name"], row["bio"]) == ("Ann", "hodl")
    assert row["password_hash"].startswith("$argon2id$")
    api.pipeline.drain()
    [message] = mailbox()
    assert message["subject"] == "Cryptotalks - Registration confirmation"
    assert "/account-confirmation/" in message["text"] and message["html"].startswith("<p>")
    assert database.execute("SELECT count(*) FROM users.settings").fetchone() == {"count": 1}
    assert database.execute("SELECT count(*) FROM crypto.favorite_lists").fetchone() == {"count": 1}
    logged = database.execute("SELECT event, status FROM audit.action_log").fetchall()
    assert logged == [{"event": "SIGN_UP", "status": "SUCCESS"}]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"email": "b@example.com", "username": "bee", "password": STRONG_PASSWORD, "tac": False},
            403,
            "tac-not-accepted",
        ),
        ({"email": "b@example.com", "username": "bee", "password": STRONG_PASSWORD}, 403, "tac-not-accepted"),
        (
            {"email": "not-an-email", "username": "bee", "password": STRONG_PASSWORD, "tac": True},
            400,
            "validation-error",
        ),
        (
            {"email": "b@example.com", "username": "bee", "password": "alllowercase1!", "tac": True},
            400,
            "validation-error",
        ),
        (
            {"email": "b@example.com", "username": "bee", "password": "Sh0rt!", "tac": True},
            400,
            "validation-error",
        ),
        (
            {"email": "b@example.com", "username": "bee", "password": "NoSpecial123", "tac": True},
            400,
            "validation-error",
        ),
        (
            {"email": "b@example.com", "username": "b e", "password": STRONG_PASSWORD, "tac": True},
            400,
            "validation-error",
        ),
        ({"username": "bee", "password": STRONG_PASSWORD, "tac": True}, 400, "validation-error"),
        ({"email": 42, "username": "bee", "password": STRONG_PASSWORD, "tac": True}, 400, "validation-error"),
        ([], 400, "validation-error"),
    ],
)
def test_sign_up_refuses_bad_input(api: Api, database: db.Connection, body: Any, status: int, message: str) -> None:
    answer = api.call("POST", "/api/user/sign-up", body)
    assert answer.status == status
    assert answer.body["message"] == message
    assert answer.body["statusCode"] == status and answer.body["error"]
    assert database.execute("SELECT count(*) FROM users.users").fetchone() == {"count": 0}


def test_sign_up_refuses_non_json_and_nul_bytes(api: Api, database: db.Connection) -> None:
    assert api.call("POST", "/api/user/sign-up", b"{not json").body["message"] == "validation-error"
    nul = {"email": "n@example.com", "username": "nul", "password": STRONG_PASSWORD + "\x00", "tac": True}
    assert api.call("POST", "/api/user/sign-up", nul).status == 400


def test_email_and_username_are_unique_whatever_their_case(api: Api, database: db.Connection) -> None:
    assert api.sign_up("carl@example.com", "carl").status == 201
    for email, username in [("CARL@example.com", "other"), ("new@example.com", "Carl")]:
        answer = api.sign_up(email, username)
        assert (answer.status, answer.body["message"]) == (403, "user-already-exists")
    assert database.execute("SELECT count(*) FROM users.users").fetchone() == {"count": 1}


def test_confirmation_link_works_once(api: Api, database: db.Connection) -> None:
    api.sign_up("dan@example.com", "dan")
    link = api.confirmation_link_of("dan@example.com")
    assert api.call("GET", link).body == {"message": "success"}
    again = api.call("GET", link)
    assert (again.status, again.body["message"]) == (403, "email-already-confirmed")
    unknown = api.call("GET", "/api/user/account-confirmation/" + "0" * 40)
    assert (unknown.status, unknown.body["message"]) == (404, "hash-not-found")
    malformed = api.call("GET", "/api/user/account-confirmation/xyz")
    assert (malformed.status, malformed.body["message"]) == (400, "validation-error")
    # Only a digest of the emailed secret is stored.
    secret = link.rsplit("/", 1)[1]
    assert database.execute("SELECT hash_digest FROM users.confirmation_hashes").fetchone() != {"hash_digest": secret}


def test_sign_in_errors_do_not_reveal_accounts(api: Api, database: db.Connection) -> None:
    api.sign_up("eve@example.com", "eve")
    api.pipeline.drain()
    unknown = api.sign_in("nobody@example.com")
    wrong = api.sign_in("eve@example.com", "Wrong-passw0rd")
    assert (unknown.status, unknown.body) == (wrong.status, wrong.body)
    assert wrong.body["message"] == "wrong-credentials" and wrong.status == 403
    # Unconfirmed is told only to whoever knows the password.
    unconfirmed = api.sign_in("eve@example.com")
    assert (unconfirmed.status, unconfirmed.body["message"]) == (403, "account-not-confirmed")


def test_sign_in_answers_the_access_token_and_sets_the_refresh_cookie(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("fay@example.com", "fay")
    answer = api.sign_in("FAY@example.com")
    assert answer.status == 201 and set(answer.body) == {"_at"}
    cookie = answer.set_cookie_header("_rt")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    claims = jwt.decode(answer.body["_at"], options={"verify_signature": False})
    assert claims["type"] == "access" and claims["exp"] - claims["iat"] == 15 * 60


def test_refresh_rotates_and_detects_reuse(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("gus@example.com", "gus")
    laptop = api.sign_in("gus@example.com")
    phone = api.sign_in("gus@example.com")  # two devices at once
    first_refresh = f"_rt={laptop.cookie('_rt')}"

    rotated = api.call("GET", "/api/auth/refresh", cookie=first_refresh)
    assert rotated.status == 200
    assert set(rotated.body) == {"_at", "user"} and rotated.body["user"]["username"] == "gus"
    assert "password" not in str(rotated.body["user"]).lower()
    second_refresh = f"_rt={rotated.cookie('_rt')}"
    assert second_refresh != first_refresh
    assert api.call("GET", "/api/auth/refresh", cookie=second_refresh).status == 200

    # The first token was rotated away: presenting it again ends every session of the user.
    replay = api.call("GET", "/api/auth/refresh", cookie=first_refresh)
    assert (replay.status, replay.body["message"]) == (401, "invalid-token")
    assert api.call("GET", "/api/auth/refresh", cookie=f"_rt={phone.cookie('_rt')}").status == 401
    assert api.call("GET", "/api/user/logout", token=phone.body["_at"]).body["message"] == "session-has-expired"


def test_refresh_needs_only_the_cookie(api: Api, database: db.Connection) -> None:
    for cookie in (None, "_rt=", "_rt=garbage", "other=1"):
        answer = api.call("GET", "/api/auth/refresh", cookie=cookie)
        assert (answer.status, answer.body["message"]) == (401, "invalid-token")


def test_an_access_token_is_no_refresh_token(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("hal@example.com", "hal")
    access = api.sign_in("hal@example.com").body["_at"]
    answer = api.call("GET", "/api/auth/refresh", cookie=f"_rt={access}")
    assert (answer.status, answer.body["message"]) == (401, "invalid-token")


def test_logout_ends_the_session_at_once(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("ida@example.com", "ida")
    signed_in = api.sign_in("ida@example.com")
    other_device = api.sign_in("ida@example.com")
    answer = api.call("GET", "/api/user/logout", token=signed_in.body["_at"])
    assert (answer.status, answer.body) == (200, {"message": "success"})
    assert "Expires=Thu, 01 Jan 1970" in answer.set_cookie_header("_rt")
    assert api.call("GET", "/api/auth/refresh", cookie=f"_rt={signed_in.cookie('_rt')}").status == 401
    assert api.call("GET", "/api/user/logout", token=signed_in.body["_at"]).status == 401
    # The other device is still signed in.
    assert api.call("GET", "/api/auth/refresh", cookie=f"_rt={other_device.cookie('_rt')}").status == 200


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "invalid-token"),
        ("Bearer", "corrupted-token"),
        ("Bearer a b", "corrupted-token"),
        ("Bearer not.a.jwt", "invalid-token"),
    ],
)
def test_protected_routes_refuse_bad_tokens(
    api: Api, database: db.Connection, header: str | None, message: str
) -> None:
    headers = [("x-access-token", header)] if header else []
    response = api.gateway.handle("GET", "/api/user/logout", headers, b"")
    assert response.status == 401
    assert f'"message": "{message}"' in response.body.decode()


def test_expired_and_bare_tokens(api: Api, database: db.Connection) -> None:
    from cryptotalks.config import settings

    api.signed_up_and_confirmed("jo@example.com", "joe")
    token = api.sign_in("jo@example.com").body["_at"]
    claims = jwt.decode(token, options={"verify_signature": False})
    expired = jwt.encode({**claims, "exp": claims["iat"] - 1}, settings().jwt_secret, algorithm="HS256")
    answer = api.call("GET", "/api/user/logout", token=expired)
    assert (answer.status, answer.body["message"]) == (401, "token-expired")
    forged = jwt.encode(claims, "another-secret-of-sufficient-length-000", algorithm="HS256")
    assert api.call("GET", "/api/user/logout", token=forged).body["message"] == "invalid-token"
    bare = api.gateway.handle("GET", "/api/user/logout", [("x-access-token", token)], b"")
    assert bare.status == 200


def test_unknown_routes_answer_in_the_contract_shape(api: Api, database: db.Connection) -> None:
    answer = api.call("GET", "/api/nothing-here")
    assert (answer.status, answer.body["message"]) == (404, "not-found")
    assert api.call("DELETE", "/api/user/sign-up").status == 404


def test_without_the_authorizers_context_a_function_checks_the_token_itself(api: Api, database: db.Connection) -> None:
    """LocalStack runs no authorizer: a signed-in route's function then makes the authorizer's check itself. A
    missing context never means signed in."""
    import json

    from cryptotalks_dev.gateway import proxy_event
    from cryptotalks_dev.lambda_context import LocalLambdaContext
    from functions.api.user import get_settings

    def call(*headers: tuple[str, str], context: dict[str, str] | None = None) -> tuple[int, Any]:
        event = proxy_event(get_settings.endpoint.path, "GET", "/api/user/get-settings", "", list(headers), b"", {})
        if context is not None:
            event["requestContext"]["authorizer"] = context
        answer = get_settings.handler(event, LocalLambdaContext("api-user-get-settings"))
        return answer["statusCode"], json.loads(answer["body"])

    api.signed_up_and_confirmed("kim@example.com", "kim")
    token = api.sign_in("kim@example.com").body["_at"]
    assert call()[1]["message"] == "invalid-token"
    assert call(("x-access-token", "Bearer not.a.jwt"))[0] == 401
    status, body = call(("x-access-token", f"Bearer {token}"))
    assert status == 200 and body["securitySettings"]["email"] == "kim@example.com"
    # A context that names no caller is refused, whatever the header says.
    assert call(("x-access-token", f"Bearer {token}"), context={"userId": "nobody"})[0] == 401
    assert api.call("GET", "/api/user/logout", token=token).status == 200
    assert call(("x-access-token", f"Bearer {token}")) == (
        401,
        {"statusCode": 401, "message": "session-has-expired", "error": "Session has expired"},
    )
