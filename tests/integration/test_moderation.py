"""Roles and moderation over HTTP, as the gateway serves them: real PostgreSQL, moto, real consumers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from cryptotalks import db
from cryptotalks.credentials import tokens
from cryptotalks.errors import ApiError
from cryptotalks.posts import moderation
from cryptotalks.posts.models import ReportRequest
from cryptotalks.users import roles
from cryptotalks.users.rules import Role
from cryptotalks_dev import cli
from cryptotalks_dev.lambda_context import LocalLambdaContext
from functions.jobs.grant_role import handler as grant_role_job
from tests.posts_support import (
    POST,
    comment,
    counted_as_stored,
    create,
    created,
    listed,
    moderator_token,
    published,
    quick_author,
    rate_comment,
    rate_post,
    read,
    refused,
    signed_in,
)
from tests.support import Api, mailbox

LINK_POST = {"content": ["Claim your airdrop at https://free-coins.example.xyz/claim now."]}


def _report(api: Api, token: str, item_id: str, item_type: str = "post", reason: str = "spam", **more: Any) -> Any:
    body = {"itemType": item_type, "itemId": item_id, "reason": reason, **more}
    return api.call("POST", "/api/posts/report", body, token=token)


def _queue(api: Api, token: str, query: str = "") -> Any:
    return api.call("GET", f"/api/moderation/queue/0/20{query}", token=token)


def _decide(api: Api, token: str, item_id: str, decision: str, item_type: str = "post", note: str | None = None) -> Any:
    body = {"itemType": item_type, "itemId": item_id, "decision": decision, "note": note}
    return api.call("POST", "/api/moderation/decide", body, token=token)


def _titles(api: Api, token: str | None = None, query: str = "") -> list[str]:
    answer = listed(api, "0/50/DESC/createdAt", query, token=token)
    assert answer.status == 200, answer.body
    return [row["title"] for row in answer.body["rows"]]


def _update(api: Api, token: str, post_id: str, **changes: Any) -> Any:
    answer = api.call("PATCH", f"/api/posts/update/{post_id}", changes, token=token)
    assert answer.status == 200, answer.body
    return answer.body


def _mentions(api: Api, token: str, kind: str = "mention") -> list[str]:
    """The links of the user's mention (or other `kind` of) notifications, once the consumers have run."""
    api.pipeline.drain()
    rows = api.call("GET", "/api/notifications/0/50", token=token).body["rows"]
    return [row["link"] for row in rows if row["kind"] == kind]


def _age(database: db.Connection, username: str) -> None:
    """The account is two days old: no longer a new account."""
    database.execute("UPDATE posts.authors SET created_at = now() - interval '2 days' WHERE username = %s", (username,))


def _role(database: db.Connection, username: str) -> str:
    row = database.execute("SELECT role FROM users.users WHERE username = %s", (username,)).fetchone()
    assert row is not None
    return str(row["role"])


# Roles


def test_roles_are_granted_and_revoked_and_the_token_hints_at_them(api: Api, database: db.Connection) -> None:
    member = signed_in(api, "rolf")
    assert jwt.decode(member, options={"verify_signature": False})["role"] == "member"
    assert roles.change_role("ROLF", Role.MODERATOR, grant=True, by=None).role == Role.MODERATOR
    assert _role(database, "rolf") == "moderator"
    token = api.sign_in("rolf@example.com").body["_at"]
    assert jwt.decode(token, options={"verify_signature": False})["role"] == "moderator"
    with pytest.raises(ApiError) as refused:
        roles.change_role("rolf", Role.ADMIN, grant=False, by=None)
    assert refused.value.code.message == "role-not-held"
    assert roles.change_role("rolf", Role.MODERATOR, grant=False, by=None).role == Role.MEMBER
    with pytest.raises(ApiError) as unknown:
        roles.change_role("nobody-here", Role.ADMIN, grant=True, by=None)
    assert unknown.value.code.message == "user-not-found"
    api.pipeline.drain()
    logged = database.execute("SELECT event FROM audit.action_log WHERE event LIKE 'ROLE_%' ORDER BY id").fetchall()
    assert [r["event"] for r in logged] == ["ROLE_GRANTED", "ROLE_REVOKED"]


def test_the_cli_grants_and_revokes_on_the_database(
    api: Api, database: db.Connection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed_in(api, "cleo")
    data_dir = str(tmp_path)  # no `cryptotalks dev` runs there: DATABASE_URL is used
    assert cli.main(["grant", "admin", "cleo", "--data-dir", data_dir]) == 0
    assert _role(database, "cleo") == "admin" and "cleo is now admin" in capsys.readouterr().out
    assert cli.main(["revoke", "moderator", "cleo", "--data-dir", data_dir]) == 1
    assert "role-not-held" in capsys.readouterr().err
    assert cli.main(["revoke", "admin", "cleo", "--data-dir", data_dir]) == 0
    assert _role(database, "cleo") == "member"
    assert cli.main(["grant", "moderator", "nobody-at-all", "--data-dir", data_dir]) == 1
    with pytest.raises(SystemExit):
        cli.main(["grant", "member", "cleo", "--data-dir", data_dir])


def test_only_admins_change_roles_over_http_and_the_job_makes_the_first(api: Api, database: db.Connection) -> None:
    member, admin = signed_in(api, "mia"), signed_in(api, "ada")
    change = {"username": "mia", "role": "moderator", "action": "grant"}
    refused(api.call("POST", "/api/user/role", change, token=member), 403, "admins-only")
    refused(api.call("POST", "/api/user/role", change, token=admin), 403, "admins-only")
    assert grant_role_job(
        {"action": "grant", "role": "admin", "username": "ada"}, LocalLambdaContext("jobs-grant-role")
    ) == {
        "username": "ada",
        "role": "admin",
    }
    granted = api.call("POST", "/api/user/role", change, token=admin)  # the old token: the database decides
    assert (granted.status, granted.body) == (201, {"username": "mia", "role": "moderator"})
    refused(api.call("POST", "/api/user/role", {**change, "role": "member"}, token=admin), 400, "validation-error")
    revoked = api.call("POST", "/api/user/role", {**change, "action": "revoke"}, token=admin)
    assert revoked.body == {"username": "mia", "role": "member"}


def test_no_body_field_makes_a_member_amoderator_token(api: Api, database: db.Connection) -> None:
    extra = {"role": "admin", "roles": ["moderator"], "isAdmin": True, "isModerator": True}
    assert api.sign_up("eve@example.com", "eve", **extra).status == 201
    api.call("GET", api.confirmation_link_of("eve@example.com"))
    token = api.sign_in("eve@example.com").body["_at"]
    settings = api.call("PATCH", "/api/user/set-personal-settings", {"bio": "hi", **extra}, token=token)
    assert settings.status in (200, 400), settings.body
    assert _role(database, "eve") == "member"
    refused(_queue(api, token), 403, "moderators-only")
    forged = tokens.issue_access_token(*_ids_of(token), role_hint="admin")  # a claim is a hint, not a permission
    refused(_queue(api, forged), 403, "moderators-only")
    refused(_decide(api, forged, str(uuid.uuid4()), "hide"), 403, "moderators-only")
    refused(
        api.call("POST", "/api/user/role", {"username": "eve", "role": "admin", "action": "grant"}, token=forged),
        403,
        "admins-only",
    )
    assert _role(database, "eve") == "member"


def _ids_of(token: str) -> tuple[uuid.UUID, uuid.UUID]:
    claims = tokens.read_access_token(token)
    return claims.user_id, claims.session_id


# Reports, the queue, decisions


def test_report_queue_hide_and_restore(api: Api, database: db.Connection) -> None:
    author, reader, mod = signed_in(api, "amy"), signed_in(api, "ben"), moderator_token(api, "moe")
    post = created(api, author, title="Totally legit giveaway", searchTags=["giveaway"])
    other = created(api, author, title="Ordinary post", searchTags=["giveaway"])
    reported = _report(api, reader, post["id"], reason="scam", text="asks for seed phrases")
    assert (reported.status, reported.body) == (201, {"message": "success"})
    refused(_report(api, reader, post["id"], reason="abuse"), 409, "already-reported")
    refused(_report(api, reader, str(uuid.uuid4())), 404, "post-not-found")
    refused(_report(api, reader, post["id"], reason="other"), 400, "validation-error")

    queue = _queue(api, mod)
    assert queue.status == 200 and queue.body["count"] == 1
    [item] = queue.body["rows"]
    assert (item["itemType"], item["itemId"], item["slug"], item["username"]) == (
        "post",
        post["id"],
        post["slug"],
        "amy",
    )
    assert (item["state"], item["reportCount"]) == ("public", 1)
    assert [(r["username"], r["reason"], r["text"]) for r in item["reports"]] == [
        ("ben", "scam", "asks for seed phrases")
    ]

    hidden = _decide(api, mod, post["id"], "hide", note="Phishing link")
    assert (hidden.status, hidden.body) == (201, {"message": "success", "state": "hidden"})
    assert _queue(api, mod).body["count"] == 0
    for token in (None, reader):  # gone for everyone else: lists, tags, search, profile, the post itself
        assert _titles(api, token) == ["Ordinary post"]
        assert _titles(api, token, "?tags=giveaway") == ["Ordinary post"]
        assert _titles(api, token, "?searchQuery=giveaway") == ["Ordinary post"]
        assert _titles(api, token, "?username=amy") == ["Ordinary post"]
        refused(read(api, post["slug"], token), 404, "post-not-found")
    assert listed(api).body["count"] == 1 and counted_as_stored(database)
    for token in (author, mod):  # there for its author and moderators, marked
        assert _titles(api, token) == ["Ordinary post", "Totally legit giveaway"]
        assert sorted(_titles(api, token, "?searchQuery=giveaway")) == ["Ordinary post", "Totally legit giveaway"]
        mark = read(api, post["slug"], token).body["moderation"]
        assert mark == {"state": "hidden", "reason": "Phishing link"}
    assert listed(api, token=author).body["count"] == 2
    row = listed(api, token=author).body["rows"][1]
    assert row["moderation"] == {"state": "hidden", "reason": "Phishing link"}
    assert listed(api, token=author).body["rows"][0]["moderation"] is None
    _report(api, reader, other["id"])  # another item's report is its own group

    restored = _decide(api, mod, post["id"], "restore")
    assert restored.body["state"] == "public"
    assert _titles(api, reader) == ["Ordinary post", "Totally legit giveaway"]
    assert read(api, post["slug"], reader).body["moderation"] is None and counted_as_stored(database)
    assert _report(api, reader, post["id"]).status == 201  # decided: the same member may report it again

    decided = published(database, "moderation_decided")
    assert [(e["decision"], e["state"], e["note"]) for e in decided] == [
        ("hide", "hidden", "Phishing link"),
        ("restore", "public", None),
    ]
    assert decided[0]["authorId"] == read(api, post["slug"]).body["userId"]
    assert (decided[0]["itemType"], decided[0]["itemId"], decided[0]["slug"]) == ("post", post["id"], post["slug"])
    api.pipeline.drain()
    logged = database.execute(
        "SELECT event FROM audit.action_log WHERE source = 'posts' AND event LIKE 'MODERATION_%' ORDER BY id"
    ).fetchall()
    assert [r["event"] for r in logged] == ["MODERATION_HIDE", "MODERATION_RESTORE"]


def test_three_members_reports_hide_a_post(api: Api, database: db.Connection) -> None:
    """By default every member's report counts, a new account's too."""
    author = signed_in(api, "uma")
    post = created(api, author, title="Free coins")
    reporters = [quick_author(f"n{n}") for n in range(3)]
    for reporter in reporters[:2]:
        moderation.report(reporter, ReportRequest(itemType="post", itemId=post["id"], reason="spam"))
    assert read(api, post["slug"]).status == 200
    moderation.report(reporters[2], ReportRequest(itemType="post", itemId=post["id"], reason="spam"))
    refused(read(api, post["slug"]), 404, "post-not-found")


def test_reports_from_enough_members_hide_until_a_moderator_decides(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With MODERATION_REPORTER_MIN_HOURS set, reports from younger accounts are shown but do not count towards the
    automatic hide: three fresh accounts cannot hide a post."""
    monkeypatch.setenv("MODERATION_REPORTER_MIN_HOURS", "24")
    author, mod = signed_in(api, "ivy"), moderator_token(api, "max")
    post = created(api, author, title="Pump and dump")
    reporters = [quick_author(f"r{n}", datetime.now(UTC) - timedelta(days=2)) for n in range(3)]
    fresh = [quick_author(f"f{n}") for n in range(3)]
    for reporter in [*reporters[:2], *fresh]:
        moderation.report(reporter, ReportRequest(itemType="post", itemId=post["id"], reason="spam"))
    assert read(api, post["slug"]).status == 200
    assert _queue(api, mod).body["rows"][0]["reportCount"] == 5
    moderation.report(reporters[2], ReportRequest(itemType="post", itemId=post["id"], reason="scam"))
    refused(read(api, post["slug"]), 404, "post-not-found")
    assert read(api, post["slug"], author).body["moderation"] == {
        "state": "hidden",
        "reason": "Reported by 6 members: spam, scam",
    }
    [item] = _queue(api, mod, "?order=most-reported").body["rows"]
    assert (item["state"], item["reportCount"], item["moderationReason"]) == (
        "hidden",
        6,
        "Reported by 6 members: spam, scam",
    )
    assert [e["decision"] for e in published(database, "moderation_decided")] == ["auto-hide"]
    dismissed = _decide(api, mod, post["id"], "dismiss")  # unfounded: the automatic hide is lifted
    assert dismissed.body["state"] == "public" and read(api, post["slug"]).status == 200
    assert _queue(api, mod).body["count"] == 0


def test_a_moderators_hide_stays_when_new_reports_are_dismissed(api: Api, database: db.Connection) -> None:
    author, reader, mod = signed_in(api, "kim"), signed_in(api, "lou"), moderator_token(api, "mod")
    post = created(api, author, title="Shill")
    assert _decide(api, mod, post["id"], "hide").body["state"] == "hidden"
    assert read(api, post["slug"], author).body["moderation"]["reason"] == "Hidden by a moderator"
    refused(_report(api, reader, post["id"]), 404, "post-not-found")  # hidden: nothing to report
    assert _decide(api, mod, post["id"], "dismiss").body["state"] == "hidden"
    refused(_decide(api, mod, str(uuid.uuid4()), "hide"), 404, "post-not-found")
    refused(_decide(api, mod, str(uuid.uuid4()), "hide", item_type="comment"), 400, "comment-doesnt-exist")


def test_the_author_is_told_of_what_changed_their_items_visibility(api: Api) -> None:
    author, reader, mod = signed_in(api, "tia"), signed_in(api, "uma"), moderator_token(api, "mia")
    post = created(api, author, title="Airdrop here")
    _decide(api, mod, post["id"], "hide", note="Phishing link")
    _report(api, reader, post["id"])  # hidden: nothing to report, so dismissing it changes nothing
    _decide(api, mod, post["id"], "dismiss")
    _decide(api, mod, post["id"], "restore")
    api.pipeline.drain()
    page = api.call("GET", "/api/notifications/0/20", token=author).body
    assert [(n["kind"], n["title"], n["link"]) for n in page["rows"]] == [
        ("moderation", "Your post is visible to everyone", f"/posts/{post['slug']}"),
        ("moderation", "A moderator hid your post: Phishing link", f"/posts/{post['slug']}"),
    ]
    mails = [m for m in mailbox() if m["to"] == "tia@example.com" and "moderator" in m["text"]]
    assert mails == []  # not mailed unless chosen (issue 16: security and alerts by default, the rest in the app)


def test_a_hidden_comment_leaves_the_post_for_everyone_but_its_author(api: Api, database: db.Connection) -> None:
    author, troll, mod = signed_in(api, "pam"), signed_in(api, "tom"), moderator_token(api, "meg")
    post = created(api, author)
    assert comment(api, troll, post["id"], "You are all idiots").status == 200
    comment_id = read(api, post["slug"]).body["postInfo"]["comments"][0]["id"]
    assert _report(api, author, comment_id, item_type="comment", reason="abuse").status == 201
    [item] = _queue(api, mod).body["rows"]
    assert (item["itemType"], item["itemId"], item["postId"], item["excerpt"]) == (
        "comment",
        comment_id,
        post["id"],
        "You are all idiots",
    )
    assert _decide(api, mod, comment_id, "hide", item_type="comment").body["state"] == "hidden"
    seen_by_others = read(api, post["slug"], author).body["postInfo"]
    assert (seen_by_others["comments"], seen_by_others["commentCount"]) == ([], 0)
    [own] = read(api, post["slug"], troll).body["postInfo"]["comments"]
    assert own["moderation"] == {"state": "hidden", "reason": "Reported by 1 member: abuse"}
    assert len(read(api, post["slug"], mod).body["postInfo"]["comments"]) == 1
    assert listed(api).body["rows"][0]["commentCount"] == 0
    _decide(api, mod, comment_id, "restore", item_type="comment")
    assert read(api, post["slug"]).body["postInfo"]["commentCount"] == 1


def test_hidden_items_take_no_votes_comments_or_reports(api: Api, database: db.Connection) -> None:
    """Who cannot see a hidden item is answered as if it did not exist; who can (its author, moderators) is told it
    is not public. Nothing is counted: no vote, no comment, no reputation, no event."""
    author, reader, troll = (signed_in(api, name) for name in ("ada", "bea", "cal"))
    mod = moderator_token(api, "moe")
    post = created(api, author, title="Hidden soon")
    refused(_report(api, author, post["id"]), 400, "own-item")
    assert comment(api, troll, post["id"], "Rude words").status == 200
    assert comment(api, reader, post["id"], "Kind words").status == 200
    rude, kind = (c["id"] for c in read(api, post["slug"]).body["postInfo"]["comments"])
    refused(_report(api, troll, rude, item_type="comment"), 400, "own-item")

    assert _decide(api, mod, rude, "hide", item_type="comment").body["state"] == "hidden"
    refused(rate_comment(api, reader, post["id"], rude, "+"), 400, "comment-doesnt-exist")  # as if there were none
    refused(_report(api, reader, rude, item_type="comment"), 400, "comment-doesnt-exist")
    for token in (troll, mod):
        refused(rate_comment(api, token, post["id"], rude, "+"), 409, "item-not-public")
    refused(_report(api, mod, rude, item_type="comment"), 409, "item-not-public")

    assert _decide(api, mod, post["id"], "hide").body["state"] == "hidden"
    for token in (reader, troll):
        refused(rate_post(api, token, post["id"], "+"), 404, "post-not-found")
        refused(comment(api, token, post["id"], "Still here? @ada"), 404, "post-not-found")
        refused(_report(api, token, post["id"]), 404, "post-not-found")
    refused(rate_comment(api, reader, post["id"], kind, "+"), 404, "post-not-found")  # her comment, on a hidden post
    refused(_report(api, troll, kind, item_type="comment"), 404, "post-not-found")
    for token in (author, mod):
        refused(rate_post(api, token, post["id"], "+"), 409, "item-not-public")
        refused(comment(api, token, post["id"], "@bea look"), 409, "item-not-public")
        refused(rate_comment(api, token, post["id"], kind, "+"), 409, "item-not-public")
    refused(_report(api, mod, post["id"]), 409, "item-not-public")
    refused(rate_post(api, author, str(uuid.uuid4()), "+"), 404, "post-not-found")

    voted = database.execute(
        "SELECT (SELECT count(*) FROM posts.post_votes) + (SELECT count(*) FROM posts.comment_votes) AS votes"
    ).fetchone()
    assert voted == {"votes": 0} and len(published(database, "leave_comment")) == 2
    assert read(api, post["slug"], author).body["postInfo"]["commentCount"] == 1  # the kind one; the rude is hidden


def test_the_hidden_queue_lists_what_is_hidden_to_restore(api: Api) -> None:
    author, reader, mod = signed_in(api, "hal"), signed_in(api, "ida"), moderator_token(api, "mox")
    post, other = created(api, author, title="Hide me"), created(api, author, title="Keep me")
    assert comment(api, reader, other["id"], "Spam spam").status == 200
    spam = read(api, other["slug"]).body["postInfo"]["comments"][0]["id"]
    assert _report(api, reader, post["id"]).status == 201
    _decide(api, mod, post["id"], "hide", note="Off-topic")
    _decide(api, mod, spam, "hide", item_type="comment")
    assert _queue(api, mod).body["count"] == 0  # decided: nothing waits
    hidden = _queue(api, mod, "?state=hidden").body
    assert [(r["itemType"], r["itemId"], r["state"]) for r in hidden["rows"]] == [
        ("comment", spam, "hidden"),
        ("post", post["id"], "hidden"),
    ]
    assert hidden["count"] == 2 and hidden["rows"][1]["moderationReason"] == "Off-topic"
    assert _decide(api, mod, post["id"], "restore").body["state"] == "public"
    assert [r["itemId"] for r in _queue(api, mod, "?state=hidden").body["rows"]] == [spam]
    assert read(api, post["slug"], reader).status == 200
    refused(_queue(api, mod, "?state=closed"), 400, "validation-error")


# New accounts


def test_an_edit_that_adds_links_holds_a_new_accounts_post(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a new post with links is held; the links it had before do not count again, and edits are not writes."""
    monkeypatch.setenv("NEW_ACCOUNT_WRITES_PER_HOUR", "2")
    newcomer, reader, mod = signed_in(api, "ned"), signed_in(api, "ray"), moderator_token(api, "mel")
    post = created(api, newcomer, title="Plain words")
    for n in range(3):
        assert _update(api, newcomer, post["id"], preview=f"Plain {n}")["moderation"] is None
    linked = _update(api, newcomer, post["id"], content=["See https://claim.example.xyz/now"])
    assert linked["moderation"] == {"state": "held", "reason": moderation.HELD_REASON}
    refused(read(api, post["slug"], reader), 404, "post-not-found")
    assert _titles(api, reader) == [] and counted_as_stored(database)
    assert [(r["itemId"], r["state"]) for r in _queue(api, mod).body["rows"]] == [(post["id"], "held")]
    assert _decide(api, mod, post["id"], "restore").body["state"] == "public"
    assert _update(api, newcomer, post["id"], title="Plain words again")["moderation"] is None  # the same link
    more = _update(api, newcomer, post["id"], content=["See https://claim.example.xyz/now", "or www.other.net"])
    assert more["moderation"]["state"] == "held"
    theirs = created(api, reader)["id"]
    assert comment(api, newcomer, theirs, "A second write").status == 200
    refused(comment(api, newcomer, theirs, "A third"), 429, "too-many-requests")
    _age(database, "ray")
    aged = created(api, reader, title="Older")
    assert _update(api, reader, aged["id"], content=["https://fine.example.org"])["moderation"] is None


def test_deleting_gives_a_new_account_no_write_back(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEW_ACCOUNT_WRITES_PER_HOUR", "3")
    newcomer, other = signed_in(api, "dee"), signed_in(api, "eli")
    theirs = created(api, other)
    for n in range(2):
        post = created(api, newcomer, title=f"Gone {n}")
        assert api.call("DELETE", f"/api/posts/delete/{post['id']}", token=newcomer).status == 200
    assert comment(api, newcomer, theirs["id"], "Third").status == 200
    assert api.call("DELETE", f"/api/posts/delete/{theirs['id']}", token=other).status == 200  # the comment goes too
    refused(create(api, newcomer, title="Fourth"), 429, "too-many-requests")


def test_a_new_accounts_comment_with_links_is_held_and_its_mentions_told_once_approved(
    api: Api, database: db.Connection
) -> None:
    author, newcomer, zed = signed_in(api, "oli"), signed_in(api, "pip"), signed_in(api, "zed")
    mod = moderator_token(api, "mod")
    _age(database, "oli")
    post = created(api, author, title="Wallets")
    assert comment(api, newcomer, post["id"], "@zed claim at https://free.example.xyz").status == 200
    assert comment(api, author, post["id"], "Docs at https://docs.example.org").status == 200  # not new: public
    seen = read(api, post["slug"]).body["postInfo"]
    assert [c["payload"] for c in seen["comments"]] == ["Docs at https://docs.example.org"]
    assert seen["commentCount"] == 1 and listed(api).body["rows"][0]["commentCount"] == 1
    held = read(api, post["slug"], newcomer).body["postInfo"]["comments"][0]
    assert held["moderation"] == {"state": "held", "reason": moderation.HELD_REASON}
    assert published(database, "leave_comment")[0]["mentions"] == [] and _mentions(api, zed) == []
    assert _mentions(api, author, "comment") == []  # the post's author is not told of a comment nobody sees
    [item] = _queue(api, mod).body["rows"]
    assert (item["itemType"], item["itemId"], item["state"], item["excerpt"]) == (
        "comment",
        held["id"],
        "held",
        "@zed claim at https://free.example.xyz",
    )
    assert _decide(api, mod, held["id"], "dismiss", item_type="comment").body["state"] == "held"
    assert _decide(api, mod, held["id"], "restore", item_type="comment").body["state"] == "public"  # approved
    assert read(api, post["slug"]).body["postInfo"]["commentCount"] == 2
    assert published(database, "moderation_decided")[-1]["mentions"] == ["zed"]
    link = f"/posts/{post['slug']}#comment-{held['id']}"
    assert _mentions(api, zed) == [link]
    assert _mentions(api, author, "comment") == [link]
    _decide(api, mod, held["id"], "hide", item_type="comment")
    _decide(api, mod, held["id"], "restore", item_type="comment")
    assert _mentions(api, zed) == [link] and _mentions(api, author, "comment") == [link]  # told once


def test_a_held_posts_mentions_are_told_once_it_is_approved(api: Api, database: db.Connection) -> None:
    newcomer, zoe, mod = signed_in(api, "nea"), signed_in(api, "zoe"), moderator_token(api, "mop")
    held = created(api, newcomer, title="Airdrop", content=["@zoe claim at https://free.example.xyz"])
    assert held["moderation"]["state"] == "held"
    _update(api, newcomer, held["id"], content=["@zoe @mop claim at https://free.example.xyz"])
    assert [e["mentions"] for e in published(database, "post_created") + published(database, "update_post")] == [
        [],
        [],
    ]
    assert _mentions(api, zoe) == []
    _decide(api, mod, held["id"], "restore")
    assert _mentions(api, zoe) == [f"/posts/{held['slug']}"]
    assert published(database, "moderation_decided")[-1]["mentions"] == ["zoe", "mop"]
    _decide(api, mod, held["id"], "hide")
    _decide(api, mod, held["id"], "restore")
    assert _mentions(api, zoe) == [f"/posts/{held['slug']}"]  # told once
    assert _mentions(api, mod) == [f"/posts/{held['slug']}"]


# New accounts


def test_new_accounts_write_a_few_posts_and_comments_an_hour(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEW_ACCOUNT_WRITES_PER_HOUR", "2")
    newcomer, veteran = signed_in(api, "nia"), signed_in(api, "vic")
    post = created(api, newcomer)
    assert comment(api, newcomer, post["id"], "first").status == 200
    refused(comment(api, newcomer, post["id"], "second"), 429, "too-many-requests")
    refused(api.call("POST", "/api/posts/create", {**POST, "title": "Again"}, token=newcomer), 429, "too-many-requests")
    api.pipeline.drain()
    limited = database.execute("SELECT count(*) FROM audit.action_log WHERE event = 'NEW_ACCOUNT_LIMIT'").fetchone()
    assert limited == {"count": 2}
    database.execute("UPDATE posts.authors SET created_at = now() - interval '2 days' WHERE username = 'vic'")
    for n in range(3):
        created(api, veteran, title=f"Veteran {n}")


def test_a_new_accounts_post_with_links_waits_for_amoderator_token(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    newcomer, reader, mod = signed_in(api, "neo"), signed_in(api, "rex"), moderator_token(api, "mae")
    plain = created(api, newcomer, title="No links here")
    assert plain["moderation"] is None
    held = created(api, newcomer, title="Free airdrop", **LINK_POST)
    assert held["moderation"] == {"state": "held", "reason": moderation.HELD_REASON}
    assert _titles(api, reader) == ["No links here"] and counted_as_stored(database)
    refused(read(api, held["slug"], reader), 404, "post-not-found")
    assert read(api, held["slug"], newcomer).body["moderation"]["state"] == "held"
    [item] = _queue(api, mod).body["rows"]
    assert (item["itemId"], item["state"], item["reportCount"], item["reports"]) == (held["id"], "held", 0, [])
    assert _decide(api, mod, held["id"], "dismiss").body["state"] == "held"  # no reports to dismiss: still held
    assert _queue(api, mod).body["count"] == 1
    assert _decide(api, mod, held["id"], "restore").body["state"] == "public"  # approved
    assert _titles(api, reader) == ["Free airdrop", "No links here"] and counted_as_stored(database)

    monkeypatch.setenv("NEW_ACCOUNT_LINK_REPUTATION", "1")
    database.execute("UPDATE posts.posts SET rating = 1 WHERE id = %s", (plain["id"],))
    assert created(api, newcomer, title="Reputable link", **LINK_POST)["moderation"] is None
    database.execute("UPDATE posts.authors SET created_at = now() - interval '2 days' WHERE username = 'rex'")
    assert created(api, reader, title="Old account link", **LINK_POST)["moderation"] is None


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("see https://example.org", True),
        ("www.scam-site.net/login", True),
        ("visit claim-airdrop.xyz today", True),
        ("Bitcoin v2.0 is not a link", False),
        ("e.g. a wallet, i.e. keys", False),
    ],
)
def test_links_are_told_apart(text: str, linked: bool) -> None:
    assert bool(moderation.links([text])) is linked
