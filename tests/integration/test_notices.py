"""The notices context: notifications made by its consumers from other contexts' events, read and marked through
the API, mailed at once or in digests, unsubscribed from signed out, and gone with a closed account."""

from __future__ import annotations

import json
import re
import time
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

import pytest

from cryptotalks import db
from cryptotalks.notices import logic
from cryptotalks.posts import logic as posts
from cryptotalks.posts.events import LeaveComment, UpdatePost
from tests.crypto_support import BITCOIN, RECORDED_COINS, MarketStandIn, run_sync_job
from tests.posts_support import comment, created, deliver_twice, quick_author, read, signed_in
from tests.stand_ins import senders_in_use
from tests.support import STRONG_PASSWORD, Api, latest_sms_code, mailbox, sms_box

PHONE = "+48123456780"
COMMENT_EMAILS = {"preferences": [{"kind": "comment", "email": True}]}


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
        "moderation": False,
    }
    assert [p["kind"] for p in preferences["preferences"] if p["emailRequired"]] == ["security"]
    post = created(api, ann)
    comment(api, bob, post["id"], "First")
    api.pipeline.drain()
    assert logic.send_digests() == 0  # comments are not mailed by default
    assert _mails_to("ann@example.com")[-1]["subject"] != "Cryptotalks - bob commented on your post"
    changed = api.call("PATCH", "/api/notifications/preferences", COMMENT_EMAILS, token=ann)
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

    _unsubscribe_by_the_page(api, digest, "comment")
    preferences = api.call("GET", "/api/notifications/preferences", token=ann).body
    assert {p["kind"]: p["email"] for p in preferences["preferences"]}["comment"] is False
    refused = api.call("POST", "/api/notifications/unsubscribe", {"token": "forged"})
    assert (refused.status, refused.body["message"]) == (401, "invalid-token")


def _unsubscribe_by_the_page(api: Api, digest: dict[str, Any], kind: str) -> None:
    """The email's link opens the web client's page, which POSTs its token (signed out); the API's old link only
    leads there."""
    found = re.search(r"(http://\S+)/unsubscribe\?token=(\S+)", digest["text"])
    assert found, digest["text"]
    base, token = found.group(1), unquote(found.group(2))
    old_link = api.call("GET", f"/api/notifications/unsubscribe?token={quote(token)}")
    assert old_link.status == 303
    assert dict(old_link.headers)["Location"] == f"{base}/unsubscribe?token={quote(token)}"
    assert api.call("POST", "/api/notifications/unsubscribe", {"token": token}).body == {
        "message": "unsubscribed",
        "kind": kind,
    }


def test_one_click_unsubscribe_from_the_mail_client(api: Api, database: db.Connection) -> None:
    """RFC 8058: every non-security email carries List-Unsubscribe with the API's URL, which a mail client POSTs
    with the form body `List-Unsubscribe=One-Click`; a GET of it changes nothing."""
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    api.call("PATCH", "/api/notifications/preferences", COMMENT_EMAILS, ann)
    comment(api, bob, created(api, ann)["id"], "Hi")
    api.pipeline.drain()
    assert logic.send_digests() == 1
    digest = _mails_to("ann@example.com")[-1]
    assert digest["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = re.fullmatch(
        r"<http://[^/]+(/api/notifications/unsubscribe\?token=\S+)>", digest["headers"]["List-Unsubscribe"]
    )
    assert found, digest["headers"]
    assert api.call("GET", found.group(1)).status == 303
    assert _email_choices(api, ann)["comment"] is True  # a GET (a mail scanner) changes nothing
    form = [("Content-Type", "application/x-www-form-urlencoded")]
    other = api.gateway.handle("POST", found.group(1), form, b"List-Unsubscribe=Other", source_ip="127.0.0.1")
    assert other.status == 400
    one_click = api.gateway.handle("POST", found.group(1), form, b"List-Unsubscribe=One-Click", source_ip="127.0.0.1")
    assert (one_click.status, json.loads(one_click.body)) == (201, {"message": "unsubscribed", "kind": "comment"})
    assert _email_choices(api, ann)["comment"] is False
    api.sign_in("ann@example.com", client="198.51.100.8")
    api.pipeline.drain()
    security = _mails_to("ann@example.com")[-1]
    assert security["subject"] == "Cryptotalks - New sign-in to your account from 198.51.100.8"
    assert security["headers"] == {} and "unsubscribe" not in security["text"]


def _email_choices(api: Api, token: str) -> dict[str, bool]:
    preferences = api.call("GET", "/api/notifications/preferences", token=token).body["preferences"]
    return {p["kind"]: p["email"] for p in preferences}


def test_security_emails_cannot_be_turned_off(api: Api, database: db.Connection) -> None:
    ann = signed_in(api, "ann")
    api.pipeline.drain()
    off = {"preferences": [{"kind": "security", "email": False}]}
    refused = api.call("PATCH", "/api/notifications/preferences", off, token=ann)
    assert (refused.status, refused.body["message"]) == (400, "security-email-required")
    database.execute(
        "INSERT INTO notices.preferences (user_id, kind, email) VALUES (%s, 'security', false)",
        (_user_id(database, "ann"),),
    )  # a choice stored before it was refused
    assert _email_choices(api, ann)["security"] is True
    api.sign_in("ann@example.com", client="198.51.100.9")
    api.pipeline.drain()
    assert _mails_to("ann@example.com")[-1]["subject"] == "Cryptotalks - New sign-in to your account from 198.51.100.9"
    from cryptotalks.credentials import tokens

    token = tokens.issue_unsubscribe_token(_user_id(database, "ann"), "security")
    refused = api.call("POST", "/api/notifications/unsubscribe", {"token": token})
    assert (refused.status, refused.body["message"]) == (401, "invalid-token")


def test_reading_or_turning_email_off_drops_what_waits_for_the_digest(api: Api, database: db.Connection) -> None:
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    on = {"preferences": [{"kind": "comment", "email": True}, {"kind": "mention", "email": True}]}
    api.call("PATCH", "/api/notifications/preferences", on, token=ann)
    post = created(api, ann)
    comment(api, bob, post["id"], "Read in the app")
    api.pipeline.drain()
    assert api.call("POST", "/api/notifications/read", {}, token=ann).body["unread"] == 0
    assert logic.send_digests() == 0  # read: no email about it
    comment(api, bob, post["id"], "Unsubscribed from")
    elsewhere = created(api, bob, title="Elsewhere")
    comment(api, bob, elsewhere["id"], "Hello @ann")  # a mention, still mailed
    api.pipeline.drain()
    from cryptotalks.credentials import tokens

    token = tokens.issue_unsubscribe_token(_user_id(database, "ann"), "comment")
    assert api.call("POST", "/api/notifications/unsubscribe", {"token": token}).status == 201
    assert logic.send_digests() == 1
    assert _mails_to("ann@example.com")[-1]["subject"] == "Cryptotalks - bob mentioned you in a comment"
    database.execute("UPDATE notices.messages_sent SET sent_at = sent_at - interval '61 minutes'")
    comment(api, bob, elsewhere["id"], "Again @ann")
    api.pipeline.drain()
    off = {"preferences": [{"kind": "mention", "email": False}]}
    assert api.call("PATCH", "/api/notifications/preferences", off, token=ann).status == 200
    assert logic.send_digests() == 0
    pending = database.execute("SELECT count(*) AS n FROM notices.notifications WHERE email_pending").fetchone()
    assert pending["n"] == 0


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


def _texted_alerts_of_ann(api: Api, monkeypatch: pytest.MonkeyPatch) -> str:
    """After a first sync, ann (with a verified phone) has her alerts mailed and texted; her token."""
    monkeypatch.setenv("COIN_DESCRIPTIONS_PER_SYNC", "0")
    run_sync_job()
    ann = signed_in(api, "ann")
    api.pipeline.drain()
    _with_phone(api, ann)
    api.call("PATCH", "/api/notifications/preferences", {"preferences": [{"kind": "alert", "sms": True}]}, token=ann)
    return ann


def test_a_fired_alert_is_told_mailed_and_texted(
    api: Api, market: MarketStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _texted_alerts_of_ann(api, monkeypatch)
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


def _pending(database: db.Connection, username: str) -> list[str]:
    rows = database.execute(
        "SELECT n.title FROM notices.notifications n JOIN notices.users u USING (user_id)"
        " WHERE u.username = %s AND n.email_pending ORDER BY n.created_at",
        (username,),
    ).fetchall()
    return [row["title"] for row in rows]


def test_a_mail_outage_never_holds_back_a_notification(api: Api, database: db.Connection) -> None:
    """The notification is committed before its email is sent: SendGrid down, it shows in the app at once, the
    event is not retried, and the email waits for the digest, which sends it once SendGrid is back."""
    ann = signed_in(api, "ann")
    api.pipeline.drain()
    with senders_in_use() as (sendgrid, _):
        sendgrid.status = 503
        api.sign_in("ann@example.com", client="198.51.100.7")
        assert api.pipeline.drain() >= 1
        title = "New sign-in to your account from 198.51.100.7"
        assert [r["title"] for r in _page(api, ann)["rows"]] == [title]
        assert len(sendgrid.received) == 1  # tried once, not again on a retry of the event
        assert _pending(database, "ann") == [title]
        assert logic.send_digests() == 0  # still down: it keeps waiting
        sendgrid.status = 202
        assert logic.send_digests() == 1
        assert sendgrid.received[-1]["body"]["subject"] == f"Cryptotalks - {title}"
    assert _pending(database, "ann") == []
    assert logic.send_digests() == 0


def test_the_digest_skips_a_failing_user_and_goes_through_every_batch(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    authors = [signed_in(api, name) for name in ("ann", "bea", "cid")]
    bob = signed_in(api, "bob")
    for token in authors:
        api.call("PATCH", "/api/notifications/preferences", COMMENT_EMAILS, token)
        comment(api, bob, created(api, token)["id"], "Hi")
    api.pipeline.drain()
    monkeypatch.setattr(logic, "DIGEST_BATCH", 1)  # a batch per user: the job goes on to the next batch
    failing = sorted(["ann", "bea", "cid"], key=lambda name: str(_user_id(database, name)))[0]

    def bounce(request: dict[str, Any]) -> None:
        to = request["body"]["personalizations"][0]["to"][0]["email"]
        sendgrid.status = 500 if to == f"{failing}@example.com" else 202

    with senders_in_use() as (sendgrid, _):
        sendgrid.on_receive = bounce
        assert logic.send_digests(until=time.monotonic()) == 0  # out of time: none started
        assert logic.send_digests() == 2  # the first user's failure stops no one
        assert [name for name in ("ann", "bea", "cid") if _pending(database, name)] == [failing]
        assert logic.send_digests() == 0  # the others' subjects were mailed within the hour
        sendgrid.on_receive = None
        sendgrid.status = 202
        assert logic.send_digests() == 1


def test_the_digest_counts_against_the_email_limit(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    api.call("PATCH", "/api/notifications/preferences", COMMENT_EMAILS, ann)
    monkeypatch.setenv("LIMIT_EMAILS_PER_ACCOUNT", "1")
    api.sign_in("ann@example.com", client="198.51.100.7")  # mailed at once: the hour's one email
    comment(api, bob, created(api, ann)["id"], "Hi")
    api.pipeline.drain()
    assert logic.send_digests() == 0
    assert _pending(database, "ann") == ["bob commented on your post"]
    database.execute("UPDATE notices.messages_sent SET sent_at = sent_at - interval '61 minutes'")
    assert logic.send_digests() == 1


def test_a_retitled_post_s_notifications_follow_its_slug(api: Api, database: db.Connection) -> None:
    ann, bob = signed_in(api, "ann"), signed_in(api, "bob")
    post = created(api, ann, title="Before the change")
    comment(api, bob, post["id"], "First")
    api.pipeline.drain()
    comment_id = read(api, post["slug"]).body["postInfo"]["comments"][0]["id"]
    changed = api.call("PATCH", f"/api/posts/update/{post['id']}", {"title": "After the change"}, token=ann)
    assert changed.status == 200, changed.body
    api.pipeline.drain()
    slug = database.execute("SELECT slug FROM posts.posts WHERE id = %s", (post["id"],)).fetchone()["slug"]
    assert slug != post["slug"]
    assert [r["link"] for r in _page(api, ann)["rows"]] == [f"/posts/{slug}#comment-{comment_id}"]
    assert read(api, slug).status == 200
    event = UpdatePost(
        postId=post["id"],
        userId=_user_id(database, "ann"),
        title="After the change",
        slug=slug,
        preview="p",
        searchTags=["x"],
        changed=["title"],
    )
    assert deliver_twice("consumers-notices-post-written", event, "posts") == [{"batchItemFailures": []}] * 2
    assert [r["link"] for r in _page(api, ann)["rows"]] == [f"/posts/{slug}#comment-{comment_id}"]


def _alerts_on(api: Api, token: str, count: int) -> list[str]:
    """`count` alerts, each on its own coin, that cross when prices rise by a tenth; their coins' symbols."""
    coins = [c for c in RECORDED_COINS if Decimal(c["price"] or 0) > 0][:count]
    for coin in coins:
        body = {
            "uuid": coin["uuid"],
            "condition": "above",
            "threshold": float(Decimal(coin["price"]) * Decimal("1.05")),
        }
        assert api.call("POST", "/api/crypto/alerts", body, token=token).status == 201
    return [str(c["symbol"]) for c in coins]


def _crossing_sync(api: Api, market: MarketStandIn, factor: str) -> None:
    market.price_factor = Decimal(factor)
    assert run_sync_job(force=True)["outcome"] == "success"
    api.pipeline.drain()


def test_a_burst_of_alerts_is_one_email_and_one_sms(
    api: Api, market: MarketStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _texted_alerts_of_ann(api, monkeypatch)
    symbols = _alerts_on(api, ann, 8)
    mails, texts = len(_mails_to("ann@example.com")), len(sms_box())
    _crossing_sync(api, market, "1.1")
    alerts = [r for r in _page(api, ann)["rows"] if r["kind"] == "alert"]
    assert sorted(r["title"].split()[0] for r in alerts) == sorted(symbols)  # each alert its own notification
    [email] = _mails_to("ann@example.com")[mails:]
    assert email["subject"] == "Cryptotalks - 8 new notifications"
    assert all(r["title"] in email["text"] for r in alerts)
    [text] = sms_box()[texts:]
    assert text["to"] == PHONE and text["body"].startswith("Cryptotalks: 8 notifications: ")
    assert text["body"].endswith("and 5 more. http://127.0.0.1:3000/notifications")


def test_an_sms_outage_neither_resends_the_email_nor_loses_the_notification(
    api: Api, market: MarketStandIn, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _texted_alerts_of_ann(api, monkeypatch)
    [symbol] = _alerts_on(api, ann, 1)
    with senders_in_use() as (sendgrid, twilio):
        twilio.status = 500
        _crossing_sync(api, market, "1.1")
        assert [m["body"]["subject"] for m in sendgrid.received] == [
            f"Cryptotalks - {_page(api, ann)['rows'][0]['title']}"
        ]
        assert len(twilio.received) >= 1
        assert _page(api, ann)["rows"][0]["title"].startswith(f"{symbol} rose above")
        assert api.pipeline.drain() == 0  # nothing retried
    assert _pending(database, "ann") == []
    sms_counted = database.execute("SELECT count(*) AS n FROM notices.messages_sent WHERE channel = 'sms'")
    assert sms_counted.fetchone()["n"] == 0  # the SMS that failed does not count


def test_alert_sms_are_limited_per_number(
    api: Api, market: MarketStandIn, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted by the notices context itself: its own SMS to the number, whichever account it is on."""
    ann = _texted_alerts_of_ann(api, monkeypatch)
    _alerts_on(api, ann, 1)
    monkeypatch.setenv("LIMIT_SMS_PER_NUMBER", "1")
    signed_in(api, "bob")
    api.pipeline.drain()
    database.execute(
        "INSERT INTO notices.messages_sent (user_id, channel, recipient) VALUES (%s, 'sms', %s)",
        (_user_id(database, "bob"), PHONE),
    )  # an alert texted to the number while it was bob's
    texts = len(sms_box())
    _crossing_sync(api, market, "1.1")
    assert _page(api, ann)["rows"][0]["kind"] == "alert"  # told in the app, not texted
    assert len(sms_box()) == texts
    database.execute("UPDATE notices.messages_sent SET sent_at = sent_at - interval '61 minutes'")
    _crossing_sync(api, market, "1")  # re-armed
    _crossing_sync(api, market, "1.2")
    assert [m["to"] for m in sms_box()[texts:]] == [PHONE]
