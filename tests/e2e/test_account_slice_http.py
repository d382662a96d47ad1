"""The account slice over HTTP against `cryptotalks dev`: what a client of the original does, on each bus. The
tests marked `deployed` run against a deployed stage too (`make localstack-smoke`; tests/e2e/conftest.py)."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
import requests

from tests.e2e.conftest import BUSES, wait_for_mail

PASSWORD = "Str0ng!pass"
pytestmark = pytest.mark.parametrize("local_runtime", BUSES, indirect=True)


def _new_account() -> tuple[str, str]:
    name = f"e2e{uuid.uuid4().hex[:8]}"
    return f"{name}@example.com", name


def _until_accepted(call: Any, refused: str, timeout: float = 60) -> requests.Response:
    """`call()` again while it answers `refused`: another context learns of a new account through an event."""
    deadline = time.monotonic() + timeout
    while True:
        answer: requests.Response = call()
        if answer.status_code < 400 or answer.json().get("message") != refused or time.monotonic() > deadline:
            return answer
        time.sleep(1)


def _confirmed_and_signed_in(base_url: str, email: str, username: str) -> str:
    """A new account, confirmed through its emailed link and signed in: its access token."""
    body = {"email": email, "password": PASSWORD, "username": username, "tac": True}
    assert requests.post(f"{base_url}/api/user/sign-up", json=body).status_code == 201
    link = re.search(r"/account-confirmation/([0-9a-f]{40})\b", wait_for_mail(base_url, email)["text"])
    assert link
    assert requests.get(f"{base_url}/api/user/account-confirmation/{link.group(1)}").status_code == 200
    signed_in = requests.post(f"{base_url}/api/user/sign-in", json={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 201
    return str(signed_in.json()["_at"])


@pytest.mark.deployed
def test_sign_up_confirm_sign_in_refresh_logout(local_runtime: str) -> None:
    email, username = _new_account()
    client = requests.Session()
    signed_up = client.post(
        f"{local_runtime}/api/user/sign-up",
        json={"email": email, "password": PASSWORD, "username": username, "tac": True},
    )
    assert (signed_up.status_code, signed_up.json()) == (201, {"message": "success"})

    early = client.post(f"{local_runtime}/api/user/sign-in", json={"email": email, "password": PASSWORD})
    assert (early.status_code, early.json()["message"]) == (403, "account-not-confirmed")

    mail = wait_for_mail(local_runtime, email)
    assert mail["subject"] == "Cryptotalks - Registration confirmation" and mail["sentAt"]
    link = re.search(rf"{local_runtime}/account-confirmation/([0-9a-f]{{40}})\b", mail["text"])
    assert link  # the web client's page, which calls:
    confirm = f"{local_runtime}/api/user/account-confirmation/{link.group(1)}"
    # On a connection of its own: the session's, idle while the mail was awaited, may be closed by the server just as
    # it is reused (LocalStack's API Gateway reset one so), and requests does not send a request again.
    assert requests.get(confirm).json() == {"message": "success"}
    again = requests.get(confirm)
    assert (again.status_code, again.json()["message"]) == (403, "email-already-confirmed")

    signed_in = client.post(f"{local_runtime}/api/user/sign-in", json={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 201 and set(signed_in.json()) == {"_at"}
    assert "HttpOnly" in signed_in.headers["Set-Cookie"]
    first_refresh_token = client.cookies["_rt"]

    refreshed = client.get(f"{local_runtime}/api/auth/refresh")  # the cookie alone
    assert refreshed.status_code == 200
    assert refreshed.json()["user"]["email"] == email
    assert client.cookies["_rt"] != first_refresh_token
    access = refreshed.json()["_at"]

    logged_out = client.get(f"{local_runtime}/api/user/logout", headers={"x-access-token": f"Bearer {access}"})
    assert (logged_out.status_code, logged_out.json()) == (200, {"message": "success"})
    assert "_rt" not in client.cookies

    old = requests.get(f"{local_runtime}/api/auth/refresh", cookies={"_rt": first_refresh_token})
    assert (old.status_code, old.json()["message"]) == (401, "invalid-token")
    after = requests.get(f"{local_runtime}/api/user/logout", headers={"x-access-token": f"Bearer {access}"})
    assert (after.status_code, after.json()["message"]) == (401, "session-has-expired")


@pytest.mark.deployed
def test_signed_in_routes_answer_with_the_callers_data(local_runtime: str) -> None:
    email, username = _new_account()
    signed_in = {"x-access-token": f"Bearer {_confirmed_and_signed_in(local_runtime, email, username)}"}

    settings = requests.get(f"{local_runtime}/api/user/get-settings", headers=signed_in)
    assert settings.status_code == 200
    assert settings.json()["securitySettings"]["email"] == email
    assert settings.json()["personalSettings"]["username"] == username
    anonymous = requests.get(f"{local_runtime}/api/user/get-settings")
    assert (anonymous.status_code, anonymous.json()["message"]) == (401, "invalid-token")

    post = {"title": f"Hello from {username}", "content": ["First."], "preview": "First.", "searchTags": ["e2e"]}
    created = _until_accepted(
        lambda: requests.post(f"{local_runtime}/api/posts/create", json=post, headers=signed_in), "user-not-found"
    )
    assert created.status_code == 201, created.text
    listed = requests.get(f"{local_runtime}/api/posts/list/0/10/DESC/createdAt", params={"username": username})
    assert [(p["slug"], p["username"]) for p in listed.json()["rows"]] == [(created.json()["slug"], username)]

    coins = requests.get(f"{local_runtime}/api/crypto/list/0/3/ASC/rank").json()["rows"]
    assert coins, "no coins: the coin sync has not run"
    coin = coins[0]["uuid"]
    favourite = f"{local_runtime}/api/crypto/favorites/{coin}"
    added = _until_accepted(lambda: requests.patch(favourite, headers=signed_in), "user-not-found")
    assert (added.status_code, added.json()) == (200, {"message": "success"}), added.text
    mine = requests.get(f"{local_runtime}/api/crypto/list-favorites/0/10/ASC/rank", headers=signed_in)
    assert [c["uuid"] for c in mine.json()["rows"]] == [coin]


def test_errors_over_http(local_runtime: str) -> None:
    email, username = _new_account()
    body = {"email": email, "password": PASSWORD, "username": username, "tac": True}
    assert requests.post(f"{local_runtime}/api/user/sign-up", json=body).status_code == 201
    cases = [
        ("POST", "/api/user/sign-up", body, 403, "user-already-exists"),
        (
            "POST",
            "/api/user/sign-up",
            {**body, "email": "x" + email, "username": "x" + username, "tac": False},
            403,
            "tac-not-accepted",
        ),
        ("POST", "/api/user/sign-up", {**body, "email": "nope"}, 400, "validation-error"),
        ("POST", "/api/user/sign-in", {"email": email, "password": "Wr0ng!pass"}, 403, "wrong-credentials"),
        ("POST", "/api/user/sign-in", {"email": "nobody@example.com", "password": PASSWORD}, 403, "wrong-credentials"),
        ("POST", "/api/user/sign-in", {"email": email}, 400, "validation-error"),
        ("GET", "/api/user/account-confirmation/" + "a" * 40, None, 404, "hash-not-found"),
        ("GET", "/api/auth/refresh", None, 401, "invalid-token"),
        ("GET", "/api/user/logout", None, 401, "invalid-token"),
        ("GET", "/api/no/such/route", None, 404, "not-found"),
    ]
    for method, path, payload, status, message in cases:
        answer = requests.request(method, f"{local_runtime}{path}", json=payload)
        assert (answer.status_code, answer.json()["message"]) == (status, message), (method, path, payload)
        assert answer.json()["statusCode"] == status and answer.json()["error"]
    expired_header = {"x-access-token": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"}
    answer = requests.get(f"{local_runtime}/api/user/logout", headers=expired_header)
    assert (answer.status_code, answer.json()["message"]) == (401, "invalid-token")
    corrupted = requests.get(f"{local_runtime}/api/user/logout", headers={"x-access-token": "Bearer"})
    assert corrupted.json()["message"] == "corrupted-token"


def test_docs_are_served(local_runtime: str) -> None:
    page = requests.get(f"{local_runtime}/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert requests.get(f"{local_runtime}/docs/swagger-ui-bundle.js").status_code == 200
    document = requests.get(f"{local_runtime}/docs/openapi.json").json()
    assert "/api/user/sign-up" in document["paths"]
    assert requests.get(f"{local_runtime}/docs/../pyproject.toml").status_code == 404
