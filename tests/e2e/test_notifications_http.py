"""Notifications and price alerts over HTTP against `cryptotalks dev`, on each bus: a comment and a mention become
notifications, preferences decide the digest email, its unsubscribe link works signed out; a coin sync with recorded
market data fires the alert that crosses (a notification, an email, an SMS) once per crossing."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from tests.crypto_support import BITCOIN, RECORDED_COINS, MarketStandIn, market_stand_in
from tests.e2e.conftest import BUSES, LocalRuntimes, Runtime, wait_for_mail
from tests.e2e.test_account_slice_http import _confirmed_and_signed_in, _until_accepted

pytestmark = pytest.mark.parametrize("local_runtime", BUSES, indirect=True)
ETHEREUM = "razxDUgYGNAdQ"
BITCOIN_PRICE = Decimal(next(c["price"] for c in RECORDED_COINS if c["uuid"] == BITCOIN))


@pytest.fixture
def runtime(local_runtime: str, local_runtimes: LocalRuntimes) -> Runtime:
    return next(r for r in local_runtimes.started.values() if r.base_url == local_runtime)


@pytest.fixture
def market() -> Iterator[MarketStandIn]:
    with market_stand_in() as stand_in:
        yield stand_in


def _account(base_url: str) -> tuple[str, str, dict[str, str]]:
    """A confirmed, signed-in account: email, username and the header with its access token."""
    username = f"n{uuid.uuid4().hex[:8]}"
    email = f"{username}@example.com"
    token = _confirmed_and_signed_in(base_url, email, username)
    return email, username, {"x-access-token": f"Bearer {token}"}


def _until(check: Callable[[], Any], what: str, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"not within {timeout}s: {what}")


def _notifications(base_url: str, headers: dict[str, str]) -> dict[str, Any]:
    answer = requests.get(f"{base_url}/api/notifications/0/50", headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _mails(base_url: str, to: str) -> list[dict[str, str]]:
    return [m for m in requests.get(f"{base_url}/dev/mailbox").json() if m["to"] == to]


def _run(runtime: Runtime, *command: str, **environment: str) -> str:
    done = runtime.cli(*command, **environment)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_comments_mentions_digest_and_unsubscribe(local_runtime: str, runtime: Runtime) -> None:
    base = local_runtime
    ann_email, _, ann = _account(base)
    _, _, bob = _account(base)
    _, carol_name, carol = _account(base)
    post = _until_accepted(
        lambda: requests.post(
            f"{base}/api/posts/create",
            json={"title": "Alerts", "content": ["Body"], "preview": "Preview", "searchTags": ["x"]},
            headers=ann,
        ),
        "user-not-found",
    ).json()
    commented = _until_accepted(
        lambda: requests.patch(
            f"{base}/api/posts/comment/{post['id']}", json={"comment": f"Look @{carol_name}"}, headers=bob
        ),
        "user-not-found",
    )
    assert commented.status_code == 200, commented.text
    page = _until(lambda: (p := _notifications(base, ann))["unread"] == 1 and p, "ann's comment notification")
    comment_id = requests.get(f"{base}/api/posts/get/{post['slug']}").json()["postInfo"]["comments"][0]["id"]
    assert page["rows"][0]["kind"] == "comment"
    assert page["rows"][0]["link"] == f"/posts/{post['slug']}#comment-{comment_id}"
    mention = _until(lambda: _notifications(base, carol)["rows"], "carol's mention")
    assert [r["kind"] for r in mention] == ["mention"]

    # Comment emails are off by default: the digest job mails nothing.
    _run(runtime, "job", "send-notification-digests")
    assert [m["subject"] for m in _mails(base, ann_email)] == ["Cryptotalks - Registration confirmation"]

    turned_on = requests.patch(
        f"{base}/api/notifications/preferences", json={"preferences": [{"kind": "comment", "email": True}]}, headers=ann
    )
    assert turned_on.status_code == 200, turned_on.text
    for text in ("Second", "Third"):
        requests.patch(f"{base}/api/posts/comment/{post['id']}", json={"comment": text}, headers=bob)
    _until(lambda: _notifications(base, ann)["unread"] == 3, "two more comment notifications")
    _run(runtime, "job", "send-notification-digests")
    digest = wait_for_mail(base, ann_email)
    assert digest["subject"] == "Cryptotalks - 2 new notifications"
    assert len(_mails(base, ann_email)) == 2  # one digest for both

    link = re.search(r"(http\S+/api/notifications/unsubscribe\?token=\S+)", digest["text"])
    assert link, digest["text"]
    unsubscribed = requests.get(link.group(1))  # signed out: no token, no cookie
    assert unsubscribed.json() == {"message": "unsubscribed", "kind": "comment"}
    preferences = requests.get(f"{base}/api/notifications/preferences", headers=ann).json()["preferences"]
    assert {p["kind"]: p["email"] for p in preferences}["comment"] is False

    marked = requests.post(f"{base}/api/notifications/read", json={}, headers=ann)
    assert marked.json() == {"message": "success", "unread": 0}


def _with_phone(base: str, headers: dict[str, str]) -> str:
    phone = f"+4812{uuid.uuid4().int % 10**7:07d}"
    sent = requests.post(f"{base}/api/user/set-phone", json={"phone": phone}, headers=headers)
    assert sent.json() == {"message": "code-sent"}, sent.text

    def code() -> str | None:
        texts = [m for m in requests.get(f"{base}/dev/sms").json() if m["to"] == phone]
        found = re.search(r"code: (\d{6})", texts[-1]["body"]) if texts else None
        return found.group(1) if found else None

    sent = _until(code, "the phone's code")
    confirmed = requests.post(f"{base}/api/user/set-phone", json={"phone": phone, "code": sent}, headers=headers)
    assert confirmed.json() == {"message": "success"}
    return phone


def test_a_price_alert_fires_once_per_crossing(local_runtime: str, runtime: Runtime, market: MarketStandIn) -> None:
    base = local_runtime

    def sync(factor: str) -> None:
        market.price_factor = Decimal(factor)
        _run(runtime, "sync-coins", **market.environment(), COIN_DESCRIPTIONS_PER_SYNC="0")

    sync("1")
    email, _, ann = _account(base)
    phone = _with_phone(base, ann)
    sms_chosen = _until_accepted(
        lambda: requests.patch(
            f"{base}/api/notifications/preferences", json={"preferences": [{"kind": "alert", "sms": True}]}, headers=ann
        ),
        "sms-not-possible",
    )
    assert sms_chosen.status_code == 200, sms_chosen.text
    crossing = {"uuid": BITCOIN, "condition": "above", "threshold": float(BITCOIN_PRICE * Decimal("1.05"))}
    assert requests.post(f"{base}/api/crypto/alerts", json=crossing, headers=ann).status_code == 201
    never = {"uuid": ETHEREUM, "condition": "below", "threshold": 0.0001}
    assert requests.post(f"{base}/api/crypto/alerts", json=never, headers=ann).status_code == 201

    def alerts_told() -> list[dict[str, Any]]:
        return [r for r in _notifications(base, ann)["rows"] if r["kind"] == "alert"]

    def texts() -> list[dict[str, str]]:
        return [
            m for m in requests.get(f"{base}/dev/sms").json() if m["to"] == phone and "Cryptotalks: BTC" in m["body"]
        ]

    sync("1.1")
    told = _until(alerts_told, "the alert's notification")
    assert [r["link"] for r in told] == [f"/coins/{BITCOIN}"]
    assert wait_for_mail(base, email)["subject"] == f"Cryptotalks - {told[0]['title']}"
    assert len(_until(texts, "the alert's SMS")) == 1

    sync("1.1")  # the same prices: nothing fires
    sync("1")  # back below: the alert re-arms

    def armed() -> bool:
        rows = requests.get(f"{base}/api/crypto/alerts", headers=ann).json()["rows"]
        return all(r["armed"] for r in rows)

    _until(armed, "the alert re-armed")
    assert len(alerts_told()) == 1 and len(texts()) == 1
    sync("1.2")  # crosses again
    _until(lambda: len(alerts_told()) == 2, "the second crossing's notification")
    assert len([m for m in _mails(base, email) if m["subject"].startswith("Cryptotalks - BTC rose above")]) == 2
