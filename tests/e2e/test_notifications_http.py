"""Notifications and price alerts over HTTP against `cryptotalks dev`, on each bus: a comment and a mention become
notifications (a mention delivered twice by the bus is told once), preferences decide the digest email, its
unsubscribe link works signed out; a coin sync with recorded market data fires the alert that crosses (a
notification, an email, an SMS) once per crossing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

import psycopg
import pytest
import requests
from psycopg.rows import dict_row

from cryptotalks_dev.runtime_file import running_stack
from tests.crypto_support import BITCOIN, RECORDED_COINS, MarketStandIn, market_stand_in
from tests.e2e.conftest import (
    BUSES,
    RUNTIME_SETS_ITSELF,
    SHARED_RUNTIME_SETTINGS,
    LocalRuntimes,
    Runtime,
    wait_for_mail,
)
from tests.e2e.test_account_slice_http import _confirmed_and_signed_in, _until_accepted

pytestmark = pytest.mark.parametrize("bus", BUSES)
ETHEREUM = "razxDUgYGNAdQ"
BITCOIN_PRICE = Decimal(next(c["price"] for c in RECORDED_COINS if c["uuid"] == BITCOIN))


@pytest.fixture
def runtime(bus: str, local_runtimes: LocalRuntimes) -> Runtime:
    """The module's runtime on `bus`, with the shared settings and the functions' INFO logs: a consumer handed an
    event it processed before says so there."""
    return local_runtimes.get(bus, POWERTOOLS_LOG_LEVEL="INFO", **SHARED_RUNTIME_SETTINGS)


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


def _query(runtime: Runtime, statement: str, *parameters: Any) -> list[dict[str, Any]]:
    """Rows of the running runtime's database (what the API does not show: events, evaluations)."""
    with psycopg.connect(running_stack(runtime.data_dir).database_url, row_factory=dict_row) as conn:
        return conn.execute(statement, parameters).fetchall()


_PUBLISH_AGAIN = (
    "import sys; from pathlib import Path; from cryptotalks_dev.runtime_file import attach;"
    " from cryptotalks.events.envelope import Envelope; from cryptotalks.events.publisher import publisher;"
    " attach(Path(sys.argv[1])); assert publisher().publish([Envelope.model_validate_json(sys.stdin.read())])"
)


def _deliver_again(runtime: Runtime, envelope: dict[str, Any]) -> None:
    """The same event (same id) published again on the runtime's bus, as an at-least-once bus may deliver it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(RUNTIME_SETS_ITSELF)}
    done = subprocess.run(
        [sys.executable, "-c", _PUBLISH_AGAIN, str(runtime.data_dir)],
        input=json.dumps(envelope),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def _consumed_again(runtime: Runtime, event_id: str) -> bool:
    """The consumer was handed the event again, and found it processed before."""
    log = (runtime.data_dir / "dev.log").read_text()
    return any("event already processed" in line and event_id in line for line in log.splitlines())


def test_comments_mentions_digest_and_unsubscribe(runtime: Runtime) -> None:
    base = runtime.base_url
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

    # The bus delivers the comment's event again: the consumer takes it, and carol is not told twice.
    [event] = _query(
        runtime,
        "SELECT envelope FROM messaging.outbox WHERE type = 'leave_comment' AND envelope->'payload'->>'commentId' = %s",
        comment_id,
    )
    _deliver_again(runtime, event["envelope"])
    _until(lambda: _consumed_again(runtime, event["envelope"]["id"]), "the event delivered again")
    assert [r["kind"] for r in _notifications(base, carol)["rows"]] == ["mention"]
    assert _notifications(base, ann)["count"] == 1

    # Comment emails turned off (as they are by default): the digest job mails nothing.
    turned_off = requests.patch(
        f"{base}/api/notifications/preferences",
        json={"preferences": [{"kind": "comment", "email": False}]},
        headers=ann,
    )
    assert {p["kind"]: p["email"] for p in turned_off.json()["preferences"]}["comment"] is False
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
    _run(runtime, "job", "send-notification-digests")
    assert len(_mails(base, ann_email)) == 2  # nothing more is due

    # The email's link opens the web client's page; the API's old link leads there; the page POSTs the token.
    link = re.search(r"(http\S+/unsubscribe)\?token=(\S+)", digest["text"])
    assert link, digest["text"]
    token = unquote(link.group(2))
    assert link.group(1) == f"{base}/unsubscribe"
    api_link = re.fullmatch(r"<(http\S+)>", digest["headers"]["List-Unsubscribe"])
    assert api_link and api_link.group(1) == f"{base}/api/notifications/unsubscribe?token={quote(token)}"
    followed = requests.get(api_link.group(1), allow_redirects=False)  # signed out: no token, no cookie
    assert (followed.status_code, followed.headers["Location"]) == (303, f"{base}/unsubscribe?token={quote(token)}")
    preferences = requests.get(f"{base}/api/notifications/preferences", headers=ann).json()["preferences"]
    assert {p["kind"]: p["email"] for p in preferences}["comment"] is True  # the GET changed nothing
    unsubscribed = requests.post(f"{base}/api/notifications/unsubscribe", json={"token": token})
    assert (unsubscribed.status_code, unsubscribed.json()) == (201, {"message": "unsubscribed", "kind": "comment"})
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


def test_a_price_alert_fires_once_per_crossing(runtime: Runtime, market: MarketStandIn) -> None:
    base = runtime.base_url

    def sync(factor: str) -> int:
        """A sync at these prices, once its alerts were evaluated: how many fired."""
        market.price_factor = Decimal(factor)
        evaluated = len(_query(runtime, "SELECT sync_id FROM crypto.alert_evaluations"))
        _run(runtime, "sync-coins", **market.environment(), COIN_DESCRIPTIONS_PER_SYNC="0")
        rows = _until(
            lambda: (
                (found := _query(runtime, "SELECT fired FROM crypto.alert_evaluations ORDER BY sync_id")[evaluated:])
                and found
            ),
            "the sync's alert evaluation",
        )
        return int(rows[-1]["fired"])

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

    def alert_mails() -> list[dict[str, str]]:
        return [m for m in _mails(base, email) if m["subject"].startswith("Cryptotalks - BTC rose above")]

    def texts() -> list[dict[str, str]]:
        return [
            m for m in requests.get(f"{base}/dev/sms").json() if m["to"] == phone and "Cryptotalks: BTC" in m["body"]
        ]

    assert sync("1.1") == 1
    told = _until(alerts_told, "the alert's notification")
    assert [r["link"] for r in told] == [f"/coins/{BITCOIN}"]
    _until(lambda: alert_mails() and texts(), "the alert's email and SMS")
    assert [m["subject"] for m in alert_mails()] == [f"Cryptotalks - {told[0]['title']}"]
    assert len(texts()) == 1

    assert sync("1.1") == 0  # the same prices: nothing fires
    assert sync("1") == 0  # back below: the alert re-arms

    def armed() -> bool:
        rows = requests.get(f"{base}/api/crypto/alerts", headers=ann).json()["rows"]
        return all(r["armed"] for r in rows)

    assert armed()
    assert (len(alerts_told()), len(alert_mails()), len(texts())) == (1, 1, 1)
    assert sync("1.2") == 1  # crosses again
    _until(lambda: len(alerts_told()) == 2 and len(alert_mails()) == 2 and len(texts()) == 2, "the second crossing")
    assert (len(alerts_told()), len(alert_mails()), len(texts())) == (2, 2, 2)
