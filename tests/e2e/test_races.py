"""Issue 12: what must hold when many requests arrive at once, as on AWS where many Lambdas serve one database.

Each race fires at least 20 requests at the same instant (a barrier) over HTTP at `cryptotalks dev --workers 3`
(`racing_runtime`). Each test comes from a client address of its own (127.0.0.N, the socket's source address:
the gateway takes the peer address as `sourceIp`), so that the per-client limits of one test never meet another's.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyotp
import requests
from requests.adapters import HTTPAdapter

from tests.e2e.conftest import wait_for_mail

PASSWORD = "Str0ng!pass"
RACERS = 20
_addresses = iter(range(10, 250))


class _FromAddress(HTTPAdapter):
    """Connections from one local address (any 127.0.0.0/8 address reaches a server on 127.0.0.1)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Client:
    """A client at an address of its own."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.address = f"127.0.0.{next(_addresses)}"

    def session(self) -> requests.Session:
        session = requests.Session()
        session.mount("http://", _FromAddress(self.address))
        return session

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> requests.Response:
        headers = {"x-access-token": f"Bearer {token}"} if token else {}
        with self.session() as session:
            return session.request(method, f"{self.base_url}{path}", json=body, headers=headers, timeout=60)

    def at_once(self, calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
        barrier = threading.Barrier(len(calls))

        def run(call: Callable[[], requests.Response]) -> requests.Response:
            barrier.wait()
            return call()

        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(run, calls))

    def same_at_once(self, n: int, method: str, path: str, body: Any = None, token: str | None = None) -> Counter[Any]:
        """`n` identical requests at once: how many got each (status, message)."""
        answers = self.at_once([lambda: self.call(method, path, body, token)] * n)
        return Counter(_outcome(a) for a in answers)

    def account(self, **extra: Any) -> tuple[str, str]:
        """A new confirmed account: its email and a fresh access token."""
        name = f"race{uuid.uuid4().hex[:8]}"
        email = f"{name}@example.com"
        body = {"email": email, "password": PASSWORD, "username": name, "tac": True, **extra}
        assert self.call("POST", "/api/user/sign-up", body).status_code == 201
        confirmed = self.call("GET", _confirmation_path(self.base_url, email))
        assert confirmed.status_code == 200, confirmed.text
        return email, self.sign_in(email)

    def sign_in(self, email: str, **second_factor: str) -> str:
        answer = self.call("POST", "/api/user/sign-in", {"email": email, "password": PASSWORD, **second_factor})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["_at"])

    def with_phone(self, token: str) -> str:
        phone = f"+4850{uuid.uuid4().int % 10**7:07d}"
        assert self.call("POST", "/api/user/set-phone", {"phone": phone}, token).json() == {"message": "code-sent"}
        body = {"phone": phone, "code": sms_code(self.base_url, phone)}
        assert self.call("POST", "/api/user/set-phone", body, token).json() == {"message": "success"}
        return phone


def _outcome(answer: requests.Response) -> tuple[int, str]:
    body = answer.json()
    return answer.status_code, str(body.get("message", "_at" if "_at" in body else ""))


def _confirmation_path(base_url: str, email: str) -> str:
    found = re.search(r"/account-confirmation/([0-9a-f]{40})", wait_for_mail(base_url, email)["text"])
    assert found
    return f"/api/user/account-confirmation/{found.group(1)}"


def sms_code(base_url: str, phone: str, after: int = 0, timeout: float = 20) -> str:
    """The code of the newest SMS to `phone` beyond the first `after` ones, once it is sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [m for m in requests.get(f"{base_url}/dev/sms", timeout=5).json() if m["to"] == phone]
        if len(messages) > after:
            found = re.search(r"code: (\d{6})", messages[-1]["body"])
            assert found
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no SMS to {phone} within {timeout}s")


def sms_count(base_url: str, phone: str) -> int:
    return len([m for m in requests.get(f"{base_url}/dev/sms", timeout=5).json() if m["to"] == phone])


def test_one_sms_code_opens_one_session(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    email, token = client.account()
    phone = client.with_phone(token)
    asked = client.call("POST", "/api/user/sign-in", {"email": email, "password": PASSWORD})
    assert asked.json() == {"message": "phone-two-fa-required"}
    body = {"email": email, "password": PASSWORD, "code": sms_code(racing_runtime, phone, after=1)}
    outcomes = client.same_at_once(RACERS, "POST", "/api/user/sign-in", body)
    assert outcomes[(201, "_at")] == 1, outcomes
    assert set(outcomes) <= {(201, "_at"), (400, "phone-code-error"), (429, "too-many-attempts")}


def test_one_reset_code_resets_once(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    _, token = client.account()
    phone = client.with_phone(token)
    assert client.call("POST", "/api/user/forgot-password", {"phone": phone}).json() == {"message": "sent"}
    code = sms_code(racing_runtime, phone, after=1)
    calls = [
        lambda n=n: client.call(
            "POST",
            "/api/user/forgot-password",
            {"phone": phone, "verificationString": code, "password": f"N3w!pass{n}"},
        )
        for n in range(RACERS)
    ]
    outcomes = Counter(_outcome(a) for a in client.at_once(calls))
    assert outcomes[(201, "success")] == 1, outcomes


def test_one_reset_link_resets_once(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    email, _ = client.account()
    assert client.call("POST", "/api/user/forgot-password", {"email": email}).json() == {"message": "sent"}
    deadline = time.monotonic() + 20
    while "Password reset" not in (mail := wait_for_mail(racing_runtime, email))["subject"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    found = re.search(r"\b[0-9a-f]{40}\b", mail["text"])
    assert found
    calls = [
        lambda n=n: client.call(
            "POST",
            "/api/user/forgot-password",
            {"email": email, "verificationString": found.group(0), "password": f"N3w!pass{n}"},
        )
        for n in range(RACERS)
    ]
    outcomes = Counter(_outcome(a) for a in client.at_once(calls))
    assert outcomes[(201, "success")] == 1, outcomes
    assert set(outcomes) == {(201, "success"), (400, "wrong-hash")}


def test_one_confirmation_link_confirms_once(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    name = f"race{uuid.uuid4().hex[:8]}"
    body = {"email": f"{name}@example.com", "password": PASSWORD, "username": name, "tac": True}
    assert client.call("POST", "/api/user/sign-up", body).status_code == 201
    outcomes = client.same_at_once(RACERS, "GET", _confirmation_path(racing_runtime, body["email"]))
    assert outcomes == Counter({(200, "success"): 1, (403, "email-already-confirmed"): RACERS - 1})


def test_one_authenticator_step_is_accepted_once(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    email, token = client.account()
    totp = pyotp.TOTP(client.call("POST", "/api/user/set-2fa", {}, token).json()["twoFaToken"])
    while totp.interval - time.time() % totp.interval < 3:  # not across a step's end
        time.sleep(0.5)
    enabled = client.call("POST", "/api/user/set-2fa", {"twoFaToken": totp.secret, "twoFaCode": totp.now()}, token)
    assert enabled.json() == {"message": "success"}
    used_step = time.time() // totp.interval
    # The race in a later step (that code is new), with 8 seconds of it left.
    while time.time() // totp.interval == used_step or totp.interval - time.time() % totp.interval < 8:
        time.sleep(0.5)
    body = {"email": email, "password": PASSWORD, "twoFaCode": totp.now()}
    outcomes = client.same_at_once(RACERS, "POST", "/api/user/sign-in", body)
    assert outcomes[(201, "_at")] == 1, outcomes


def test_the_attempt_limit_is_exact(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    email, _ = client.account()
    outcomes = client.same_at_once(30, "POST", "/api/user/sign-in", {"email": email, "password": "Wr0ng!pass"})
    assert outcomes == Counter({(403, "wrong-credentials"): 5, (429, "too-many-attempts"): 25})


def test_one_client_failing_across_accounts_is_throttled(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    calls = [
        lambda n=n: client.call("POST", "/api/user/sign-in", {"email": f"x{n}@example.com", "password": "Wr0ng!pass"})
        for n in range(30)
    ]
    outcomes = Counter(_outcome(a) for a in client.at_once(calls))
    assert outcomes == Counter({(403, "wrong-credentials"): 20, (429, "too-many-attempts"): 10})


def test_the_password_changes_once_a_day_in_parallel(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    _, token = client.account()  # signed in just now: no current password needed
    calls = [
        lambda n=n: client.call(
            "POST", "/api/user/change-password", {"password": f"N3w!pass{n}", "passwordRepeat": f"N3w!pass{n}"}, token
        )
        for n in range(RACERS)
    ]
    outcomes = Counter(_outcome(a) for a in client.at_once(calls))
    assert outcomes == Counter({(201, "success"): 1, (400, "password-changed-recently"): RACERS - 1})


def test_sms_to_one_number_are_limited_in_parallel(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    _, token = client.account()
    phone = client.with_phone(token)  # one SMS so far
    outcomes = client.same_at_once(RACERS, "POST", "/api/user/forgot-password", {"phone": phone})
    assert outcomes == Counter({(201, "sent"): 4, (429, "too-many-requests"): RACERS - 4})
    time.sleep(3)  # let the consumer text what it was asked to
    assert sms_count(racing_runtime, phone) == 5


def test_one_account_per_email_and_per_username(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    name = f"race{uuid.uuid4().hex[:8]}"
    same_email = [
        lambda n=n: client.call(
            "POST",
            "/api/user/sign-up",
            {"email": f"{name}@example.com", "password": PASSWORD, "username": f"{name}{n}", "tac": True},
        )
        for n in range(RACERS)
    ]
    same_name = [
        lambda n=n: client.call(
            "POST",
            "/api/user/sign-up",
            {"email": f"{name}{n}@example.org", "password": PASSWORD, "username": name.upper(), "tac": True},
        )
        for n in range(RACERS)
    ]
    for calls in (same_email, same_name):
        outcomes = Counter(_outcome(a) for a in client.at_once(calls))
        assert outcomes == Counter({(201, "success"): 1, (403, "user-already-exists"): RACERS - 1})


def test_votes_are_counted_exactly_and_a_favourite_is_kept_once(racing_runtime: str) -> None:
    client = Client(racing_runtime)
    voters = [client.account()[1] for _ in range(RACERS)]
    post = {"title": f"Race {uuid.uuid4().hex}", "content": ["x"], "preview": "x", "searchTags": ["race"]}
    saved = client.call("POST", "/api/posts/create", post, voters[0]).json()
    votes = [lambda t=t: client.call("PATCH", f"/api/posts/rate/post/{saved['id']}", {"rate": "+"}, t) for t in voters]
    assert {a.status_code for a in client.at_once(votes)} == {200}
    rates = client.call("GET", f"/api/posts/get/{saved['slug']}").json()["postInfo"]["rates"]
    assert len(rates) == RACERS and {r["rate"] for r in rates} == {"+"}

    coin = client.call("GET", "/api/crypto/list/0/1/ASC/rank").json()["rows"][0]["uuid"]
    outcomes = client.same_at_once(RACERS, "PATCH", f"/api/crypto/favorites/{coin}", token=voters[1])
    assert set(outcomes) == {(200, "success")}
    favourites = client.call("GET", "/api/crypto/list-favorites/0/50/ASC/rank", token=voters[1]).json()
    assert favourites["count"] == 1
