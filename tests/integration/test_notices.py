"""The notices context: notifications made by its consumers from other contexts' events, read and marked through
the API, mailed at once or in digests, unsubscribed from signed out, and gone with a closed account."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks.notices import logic
from cryptotalks.posts import logic as posts
from cryptotalks.posts.events import LeaveComment
from tests.crypto_support import BITCOIN, RECORDED_COINS, MarketStandIn, run_sync_job
from tests.posts_support import comment, created, deliver_twice, quick_author, read, signed_in
from tests.support import STRONG_PASSWORD, Api, latest_sms_code, mailbox, sms_box

PHONE = "+48123456780"


def _page(api: Api, token: str) -> dict[str, Any]:
    answer = api.call("GET", "/api/notifications/0/20", token=token)
    assert answer.status == 200, answer.body
    return dict(answer.body)


def _user_id(database: db.Connection, username: str) -> uuid.UUID:
    row = database.execute("SELECT user_id FROM notices.users WHERE username = %s", (username,)).fetchone()
    assert row, f"{username} is not in the notices projection"
    return uuid.UUID(str(row["user_id"]))


def _mails_to(address: str) -> list[dict[str, str]]:
    return [m for m in mailbox() if m["to"] == address]


def test_a_comment_tells_the_author_with_a_link_to_it(api: Api) -> None:
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    post = created(api, ann)
    assert _page(api, ann)["unread"] == 0
    assert comment(api, bob, post["id"], "Nice one").status == 200
    comment_id = read(api, post["slug"]).body["postInfo"]["comments"][0]["id"]
    api.pipeline.drain()
    page = _page(api, ann)
    assert (page["unread"], page["count"]) == (1, 1)
    item = page["rows"][0]
    assert item | {"id": None, "createdAt": None} == {
        "id": None,
        "createdAt": None,
        "kind": "comment",
        "title": "bob commented on your post",
        "link": f"/posts/{post['slug']}#comment-{comment_id}",
        "read": False,
    }
    assert _page(api, bob)["count"] == 0  # no notice of one's own comment
    marked = api.call("POST", "/api/notifications/read", {"ids": [item["id"]]}, token=ann)
    assert marked.body == {"message": "success", "unread": 0}
    assert _page(api, ann)["rows"][0]["read"] is True


def test_a_mention_is_told_once_however_often_delivered(api: Api, database: db.Connection) -> None:
    ann, bob, carol = signed_in(api, "ann"), signed_in(api, "bob"), signed_in(api, "carol")
    post = created(api, ann)
    api.pipeline.drain()
    event = LeaveComment(
        postId=post["id"],
        commentId=uuid.uuid4(),
        userId=_user_id(database, "bob"),
        username="bob",
        comment="@carol look, and `@ann` in code",
        postAuthorId=_user_id(database, "ann"),
        slug=post["slug"],
        mentions=["carol", "nobody-here"],
    )
    answers = deliver_twice("consumers-notices-comment-left", event, "posts")
    assert answers == [{"batchItemFailures": []}] * 2
    rows = _page(api, carol)["rows"]
    assert [(r["kind"], r["title"]) for r in rows] == [("mention", "bob mentioned you in a comment")]
    assert [r["kind"] for r in _page(api, ann)["rows"]] == ["comment"]
    assert _page(api, bob)["count"] == 0


def test_mentions_in_posts_resolve_real_users_outside_code(api: Api) -> None:
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    signed_in(api, "carol")
    api.pipeline.drain()
    created(api, ann, content=["Hello @Bob and @ghost", "`@carol` is code"])
    api.pipeline.drain()
    assert [r["title"] for r in _page(api, bob)["rows"]] == ["ann mentioned you in a post"]


def test_mentions_in_a_posts_title_and_preview_and_of_names_ending_in_a_dot(api: Api) -> None:
    ann, bob, carol, eve = (signed_in(api, name) for name in ("ann", "bob", "carol", "eve"))
    dan = api.signed_in_token("dan@example.com", "dan.")  # USERNAME_PATTERN allows a final dot
    api.pipeline.drain()
    post = created(api, ann, title="Ask @bob.", preview="Or @dan.", content=["~~~", "@eve in code"])
    api.pipeline.drain()
    assert [r["title"] for r in _page(api, bob)["rows"]] == ["ann mentioned you in a post"]
    assert [r["title"] for r in _page(api, dan)["rows"]] == ["ann mentioned you in a post"]
    assert _page(api, eve)["count"] == 0
    edited = api.call("PATCH", f"/api/posts/update/{post['id']}", {"preview": "And @carol."}, token=ann)
    assert edited.status == 200, edited.body
    api.pipeline.drain()
    assert [r["title"] for r in _page(api, carol)["rows"]] == ["You were mentioned in a post"]
    assert _page(api, bob)["count"] == 1  # told once per post


def test_preferences_decide_the_digest(api: Api, database: db.Connection) -> None:
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    preferences = api.call("GET", "/api/notifications/preferences", token=ann).body
    assert {p["kind"]: p["email"] for p in preferences["preferences"]} == {
        "comment": False,
        "mention": False,
        "milestone": False,
        "alert": True,
        "security": True,
        "moderation": True,
    }
    post = created(api, ann)
    comment(api, bob, post["id"], "First")
    api.pipeline.drain()
    assert logic.send_digests() == 0  # comments are not mailed by default
    assert _mails_to("ann@example.com")[-1]["subject"] != "Cryptotalks - bob commented on your post"
    changed = api.call(
        "PATCH", "/api/notifications/preferences", {"preferences": [{"kind": "comment", "email": True}]}, token=ann
    )
    assert {p["kind"]: p["email"] for p in changed.body["preferences"]}["comment"] is True
    for text in ("Second", "Third"):
        comment(api, bob, post["id"], text)
    api.pipeline.drain()
    before = len(_mails_to("ann@example.com"))
    assert logic.send_digests() == 1
    assert logic.send_digests() == 0  # nothing more is due
    digest = _mails_to("ann@example.com")[-1]
    assert len(_mails_to("ann@example.com")) == before + 1
    assert digest["subject"] == "Cryptotalks - 2 new notifications"
    assert digest["text"].count("bob commented on your post") == 2
    comment(api, bob, post["id"], "Fourth")
    api.pipeline.drain()
    assert logic.send_digests() == 0  # the same post within the hour: it waits
    database.execute("UPDATE notices.messages_sent SET sent_at = sent_at - interval '61 minutes'")
    assert logic.send_digests() == 1

    found = re.search(r"(/api/notifications/unsubscribe\?token=\S+)", digest["text"])
    assert found, digest["text"]
    unsubscribed = api.call("GET", found.group(1))  # no token: signed out
    assert unsubscribed.body == {"message": "unsubscribed", "kind": "comment"}
    preferences = api.call("GET", "/api/notifications/preferences", token=ann).body
    assert {p["kind"]: p["email"] for p in preferences["preferences"]}["comment"] is False
    refused = api.call("GET", "/api/notifications/unsubscribe?token=forged")
    assert (refused.status, refused.body["message"]) == (401, "invalid-token")


def test_sms_needs_a_phone_and_a_kind_that_offers_it(api: Api) -> None:
    ann = signed_in(api, "ann")
    api.pipeline.drain()
    wanted = {"preferences": [{"kind": "alert", "sms": True}]}
    assert api.call("PATCH", "/api/notifications/preferences", wanted, token=ann).body["message"] == "sms-not-possible"
    _with_phone(api, ann)
    assert api.call("GET", "/api/notifications/preferences", token=ann).body["phoneVerified"] is True
    assert api.call("PATCH", "/api/notifications/preferences", wanted, token=ann).status == 200
    comment_sms = {"preferences": [{"kind": "comment", "sms": True}]}
    assert api.call("PATCH", "/api/notifications/preferences", comment_sms, token=ann).status == 400


def _with_phone(api: Api, token: str) -> None:
    assert api.call("POST", "/api/user/set-phone", {"phone": PHONE}, token=token).body == {"message": "code-sent"}
    api.pipeline.drain()
    body = {"phone": PHONE, "code": latest_sms_code(PHONE)}
    assert api.call("POST", "/api/user/set-phone", body, token=token).body == {"message": "success"}
    api.pipeline.drain()


def test_a_vote_milestone_is_told_once(api: Api, database: db.Connection) -> None:
    ann = signed_in(api, "ann")
    post = created(api, ann)
    api.pipeline.drain()
    voters = [quick_author(f"voter{n}") for n in range(10)]
    for voter in voters:
        posts.rate_post(voter, uuid.UUID(post["id"]), "+")
    posts.rate_post(voters[0], uuid.UUID(post["id"]), "+")  # withdrawn: 9
    posts.rate_post(voters[0], uuid.UUID(post["id"]), "+")  # 10 again
    api.pipeline.drain()
    rows = _page(api, ann)["rows"]
    assert [(r["kind"], r["title"], r["link"]) for r in rows] == [
        ("milestone", "Your post reached a rating of 10", f"/posts/{post['slug']}")
    ]


def test_security_events_and_a_new_device(api: Api) -> None:
    ann = signed_in(api, "ann")
    api.pipeline.drain()
    assert _page(api, ann)["count"] == 0  # the first sign-in is no new device
    assert "_at" in api.sign_in("ann@example.com", client="198.51.100.7").body
    _with_phone(api, ann)
    titles = [r["title"] for r in _page(api, ann)["rows"]]
    assert titles == ["A phone number was added to your account", "New sign-in to your account from 198.51.100.7"]
    assert any(m["subject"] == "Cryptotalks - New sign-in to your account from 198.51.100.7" for m in mailbox())
    assert all("unsubscribe" not in m["text"] for m in _mails_to("ann@example.com"))


def test_a_closed_account_takes_its_notifications(api: Api, database: db.Connection) -> None:
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    comment(api, bob, created(api, ann)["id"], "Hi")
    api.pipeline.drain()
    assert _page(api, ann)["count"] == 1
    closed = api.call("POST", "/api/user/close-account", {"password": STRONG_PASSWORD}, token=ann)
    assert closed.body == {"message": "success"}
    api.pipeline.drain()
    for table in ("users", "notifications", "preferences", "messages_sent"):
        assert database.execute(f"SELECT count(*) AS n FROM notices.{table}").fetchone()["n"] == (
            1 if table == "users" else 0
        )


def test_a_fired_alert_is_told_mailed_and_texted(
    api: Api, market: MarketStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COIN_DESCRIPTIONS_PER_SYNC", "0")
    run_sync_job()
    ann = signed_in(api, "ann")
    api.pipeline.drain()
    _with_phone(api, ann)
    api.call("PATCH", "/api/notifications/preferences", {"preferences": [{"kind": "alert", "sms": True}]}, token=ann)
    price = Decimal(next(c["price"] for c in RECORDED_COINS if c["uuid"] == BITCOIN))
    body = {"uuid": BITCOIN, "condition": "above", "threshold": float(price * Decimal("1.05"))}
    assert api.call("POST", "/api/crypto/alerts", body, token=ann).status == 201
    texts = len(sms_box())
    market.price_factor = Decimal("1.1")
    run_sync_job(force=True)
    api.pipeline.drain()
    alerts = [r for r in _page(api, ann)["rows"] if r["kind"] == "alert"]
    assert [r["link"] for r in alerts] == [f"/coins/{BITCOIN}"]
    assert alerts[0]["title"].startswith("BTC rose above $")
    assert _mails_to("ann@example.com")[-1]["subject"] == f"Cryptotalks - {alerts[0]['title']}"
    assert [m["to"] for m in sms_box()[texts:]] == [PHONE]
