"""Moderation over HTTP against `cryptotalks dev`: roles granted with `cryptotalks grant`, reports, the queue,
decisions, the automatic holds and the new accounts' limit, as a client sees them.

Every account made here is new (younger than NEW_ACCOUNT_HOURS)."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from typing import Any

import pytest
import requests

from tests.e2e.conftest import BUSES, SHARED_RUNTIME_SETTINGS, LocalRuntimes, Runtime, wait_for_mail
from tests.e2e.test_account_slice_http import _until_accepted
from tests.e2e.test_coin_discussions_http import _coin_uuid, _discussion_ids, _eventually

WRITES_PER_HOUR = 3
PASSWORD = "Str0ng!pass"
LINK = "Claim at https://claim.example.xyz"
# How long a test waits to see that something is not told: the consumers of the local runtime run within a second.
QUIET_SECONDS = 5


@pytest.fixture(scope="module", params=BUSES)
def runtime(local_runtimes: LocalRuntimes, request: pytest.FixtureRequest) -> Runtime:
    """A `cryptotalks dev` of this module's own on each bus, with a low write limit for new accounts."""
    limits = {**SHARED_RUNTIME_SETTINGS, "NEW_ACCOUNT_WRITES_PER_HOUR": str(WRITES_PER_HOUR)}
    return local_runtimes.get(request.param, None, **limits)


class Member:
    """A new account, signed up (with `sign_up_extra` in the body), confirmed through its emailed link, signed in."""

    def __init__(self, runtime: Runtime, **sign_up_extra: Any) -> None:
        self.base_url = runtime.base_url
        self.username = f"mod{uuid.uuid4().hex[:8]}"
        self.email = f"{self.username}@example.com"
        body = {"email": self.email, "password": PASSWORD, "username": self.username, "tac": True, **sign_up_extra}
        assert requests.post(f"{self.base_url}/api/user/sign-up", json=body, timeout=30).status_code == 201
        link = re.search(r"/account-confirmation/([0-9a-f]{40})\b", wait_for_mail(self.base_url, self.email)["text"])
        assert link
        confirmed = requests.get(f"{self.base_url}/api/user/account-confirmation/{link.group(1)}", timeout=30)
        assert confirmed.status_code == 200
        self.sign_in_again()

    def call(self, method: str, path: str, body: Any = None, signed_in: bool = True) -> requests.Response:
        headers = {"x-access-token": f"Bearer {self.token}"} if signed_in else {}
        return requests.request(method, f"{self.base_url}{path}", json=body, headers=headers, timeout=30)

    def sign_in_again(self) -> None:
        answer = requests.post(f"{self.base_url}/api/user/sign-in", json={"email": self.email, "password": PASSWORD})
        self.token = answer.json()["_at"]

    def write(self, **post: Any) -> dict[str, Any]:
        body = {"title": f"Post {uuid.uuid4().hex[:6]}", "content": ["Words."], "preview": "Words", **post}
        answer = _until_accepted(lambda: self.call("POST", "/api/posts/create", body), "user-not-found")
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    def titles(self, query: str, signed_in: bool = True) -> list[str]:
        answer = self.call("GET", f"/api/posts/list/0/50/DESC/createdAt?{query}", signed_in=signed_in)
        return [row["title"] for row in answer.json()["rows"]]

    def report(self, item_id: str, reason: str = "spam", item_type: str = "post") -> requests.Response:
        body = {"itemType": item_type, "itemId": item_id, "reason": reason, "text": "seen on my feed"}
        return _until_accepted(lambda: self.call("POST", "/api/posts/report", body), "user-not-found")

    def comment(self, post_id: str, text: str) -> requests.Response:
        body = {"comment": text}
        return _until_accepted(lambda: self.call("PATCH", f"/api/posts/comment/{post_id}", body), "user-not-found")

    def rate(self, post_id: str, comment_id: str | None = None) -> requests.Response:
        path = f"/api/posts/rate/comment/{post_id}/{comment_id}" if comment_id else f"/api/posts/rate/post/{post_id}"
        return _until_accepted(lambda: self.call("PATCH", path, {"rate": "+"}), "user-not-found")

    def read(self, slug: str, signed_in: bool = True) -> requests.Response:
        return self.call("GET", f"/api/posts/get/{slug}", signed_in=signed_in)

    def decide(self, item_id: str, decision: str, item_type: str = "post") -> str:
        body = {"itemType": item_type, "itemId": item_id, "decision": decision}
        answer = self.call("POST", "/api/moderation/decide", body)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["state"])

    def queue(self, query: str = "") -> list[tuple[str, str, str]]:
        """(itemType, itemId, state) of the queue's items."""
        rows = self.call("GET", f"/api/moderation/queue/0/100{query}").json()["rows"]
        return [(row["itemType"], row["itemId"], row["state"]) for row in rows]

    def notified(self, kind: str) -> list[str]:
        """The links of the member's notifications of that kind."""
        rows = self.call("GET", "/api/notifications/0/50").json()["rows"]
        return [row["link"] for row in rows if row["kind"] == kind]


def _moderator(runtime: Runtime) -> Member:
    member = Member(runtime)
    granted = runtime.cli("grant", "moderator", member.username)
    assert granted.returncode == 0 and f"{member.username} is now moderator" in granted.stdout, granted.stderr
    member.sign_in_again()
    return member


def _refused(answer: requests.Response, status: int, message: str) -> None:
    assert (answer.status_code, answer.json()["message"]) == (status, message), answer.text


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_report_queue_hide_then_restore(runtime: Runtime) -> None:
    author, reader, mod = Member(runtime), Member(runtime), _moderator(runtime)
    tag = f"t{uuid.uuid4().hex[:8]}"
    post = author.write(title=f"Giveaway {tag}", searchTags=[tag])
    assert reader.report(post["id"], "scam").status_code == 201
    _refused(reader.report(post["id"], "abuse"), 409, "already-reported")

    queue = mod.call("GET", "/api/moderation/queue/0/50?order=most-reported").json()
    [item] = [row for row in queue["rows"] if row["itemId"] == post["id"]]
    assert [(r["username"], r["reason"]) for r in item["reports"]] == [(reader.username, "scam")]
    decided = mod.call(
        "POST",
        "/api/moderation/decide",
        {"itemType": "post", "itemId": post["id"], "decision": "hide", "note": "Phishing"},
    )
    assert decided.json() == {"message": "success", "state": "hidden"}

    for query in (f"tags={tag}", f"searchQuery={tag}", f"username={author.username}"):
        assert reader.titles(query) == [] and reader.titles(query, signed_in=False) == []
        assert author.titles(query) == [f"Giveaway {tag}"]
    _refused(reader.call("GET", f"/api/posts/get/{post['slug']}"), 404, "post-not-found")
    own = author.call("GET", f"/api/posts/get/{post['slug']}").json()
    assert own["moderation"] == {"state": "hidden", "reason": "Phishing"}
    assert mod.call("GET", f"/api/posts/get/{post['slug']}").status_code == 200

    restored = mod.call(
        "POST", "/api/moderation/decide", {"itemType": "post", "itemId": post["id"], "decision": "restore"}
    )
    assert restored.json()["state"] == "public"
    assert reader.titles(f"tags={tag}", signed_in=False) == [f"Giveaway {tag}"]
    deadline = time.monotonic() + 30  # the action log is written by a consumer
    while not {"MODERATION_HIDE", "MODERATION_RESTORE", "ROLE_GRANTED"} <= _logged(runtime):
        assert time.monotonic() < deadline, _logged(runtime)
        time.sleep(0.5)


def _logged(runtime: Runtime) -> set[str]:
    tail = runtime.cli("audit", "tail", "-n", "1000", "--json")
    return {record["event"] for record in json.loads(tail.stdout)}


def test_three_reporters_hide_a_post(runtime: Runtime) -> None:
    """Three members' reports hide a post (MODERATION_REPORTER_MIN_HOURS is 0: new accounts count too)."""
    author = Member(runtime)
    post = author.write()
    reporters = [Member(runtime) for _ in range(3)]
    for reporter in reporters[:2]:
        assert reporter.report(post["id"]).status_code == 201
    assert author.read(post["slug"], signed_in=False).status_code == 200
    assert reporters[2].report(post["id"]).status_code == 201
    _refused(requests.get(f"{runtime.base_url}/api/posts/get/{post['slug']}", timeout=30), 404, "post-not-found")
    mark = author.call("GET", f"/api/posts/get/{post['slug']}").json()["moderation"]
    assert mark == {"state": "hidden", "reason": "Reported by 3 members: spam"}


def test_a_member_reaches_no_moderation_route_and_no_body_field_makes_a_moderator(runtime: Runtime) -> None:
    extra = {"role": "admin", "roles": ["moderator"], "isModerator": True, "isAdmin": True}
    member = Member(runtime, **extra)
    member.call("PATCH", "/api/user/set-personal-settings", {"bio": "hello", **extra})
    member.sign_in_again()
    assert _claims(member.token)["role"] == "member"
    _refused(member.call("GET", "/api/moderation/queue/0/10"), 403, "moderators-only")
    decide = {"itemType": "post", "itemId": str(uuid.uuid4()), "decision": "hide"}
    _refused(member.call("POST", "/api/moderation/decide", decide), 403, "moderators-only")
    grant = {"username": member.username, "role": "admin", "action": "grant"}
    _refused(member.call("POST", "/api/user/role", grant), 403, "admins-only")
    assert member.call("GET", "/api/moderation/queue/0/10", signed_in=False).status_code == 401


def test_new_accounts_write_a_few_times_an_hour(runtime: Runtime) -> None:
    newcomer = Member(runtime)
    post = newcomer.write()
    for n in range(WRITES_PER_HOUR - 1):
        assert newcomer.call("PATCH", f"/api/posts/comment/{post['id']}", {"comment": f"c{n}"}).status_code == 200
    _refused(newcomer.call("PATCH", f"/api/posts/comment/{post['id']}", {"comment": "more"}), 429, "too-many-requests")
    body = {"title": "One more", "content": ["x"], "preview": "x"}
    _refused(newcomer.call("POST", "/api/posts/create", body), 429, "too-many-requests")


def test_a_new_accounts_link_post_is_held_until_approved(runtime: Runtime) -> None:
    newcomer, mod = Member(runtime), _moderator(runtime)
    tag = f"t{uuid.uuid4().hex[:8]}"
    held = newcomer.write(title=f"Airdrop {tag}", content=["Claim at https://claim.example.xyz"], searchTags=[tag])
    assert held["moderation"]["state"] == "held"
    assert mod.titles(f"tags={tag}", signed_in=False) == []
    assert newcomer.titles(f"tags={tag}") == [f"Airdrop {tag}"]
    queue = mod.call("GET", "/api/moderation/queue/0/100").json()["rows"]
    assert [row["state"] for row in queue if row["itemId"] == held["id"]] == ["held"]
    approve = {"itemType": "post", "itemId": held["id"], "decision": "restore"}
    assert mod.call("POST", "/api/moderation/decide", approve).json()["state"] == "public"
    assert mod.titles(f"tags={tag}", signed_in=False) == [f"Airdrop {tag}"]


def test_hidden_items_take_no_votes_comments_or_reports(runtime: Runtime) -> None:
    """For whoever cannot see a hidden post or comment it is not there; its author and moderators are told it is not
    public. Nobody reports their own."""
    author, reader, troll, mod = Member(runtime), Member(runtime), Member(runtime), _moderator(runtime)
    post = author.write()
    _refused(author.report(post["id"]), 400, "own-item")
    assert troll.comment(post["id"], "Rude words").status_code == 200
    assert reader.comment(post["id"], "Kind words").status_code == 200
    rude, kind = (c["id"] for c in reader.read(post["slug"]).json()["postInfo"]["comments"])
    _refused(troll.report(rude, item_type="comment"), 400, "own-item")

    assert mod.decide(rude, "hide", "comment") == "hidden"
    _refused(reader.rate(post["id"], rude), 400, "comment-doesnt-exist")  # as a comment that does not exist
    _refused(reader.report(rude, item_type="comment"), 400, "comment-doesnt-exist")
    _refused(troll.rate(post["id"], rude), 409, "item-not-public")
    _refused(mod.rate(post["id"], rude), 409, "item-not-public")

    assert mod.decide(post["id"], "hide") == "hidden"
    _refused(reader.rate(post["id"]), 404, "post-not-found")
    _refused(reader.comment(post["id"], "Still here?"), 404, "post-not-found")
    _refused(reader.report(post["id"]), 404, "post-not-found")
    _refused(reader.rate(post["id"], kind), 404, "post-not-found")  # her own comment, on a hidden post
    _refused(author.rate(post["id"]), 409, "item-not-public")
    _refused(author.comment(post["id"], "Why?"), 409, "item-not-public")
    _refused(author.rate(post["id"], kind), 409, "item-not-public")
    _refused(mod.report(post["id"]), 409, "item-not-public")
    assert author.read(post["slug"]).json()["postInfo"]["rating"] == 0


def test_the_hidden_queue_lists_a_hidden_post_and_restore_brings_it_back(runtime: Runtime) -> None:
    author, reader, mod = Member(runtime), Member(runtime), _moderator(runtime)
    post = author.write()
    assert mod.decide(post["id"], "hide") == "hidden"
    assert ("post", post["id"], "hidden") in mod.queue("?state=hidden")
    assert ("post", post["id"], "hidden") not in mod.queue()  # decided: nothing waits
    _refused(reader.read(post["slug"]), 404, "post-not-found")
    assert mod.decide(post["id"], "restore") == "public"
    assert ("post", post["id"], "hidden") not in mod.queue("?state=hidden")
    assert reader.read(post["slug"]).status_code == 200


def test_an_edit_that_adds_a_link_holds_the_post(runtime: Runtime) -> None:
    newcomer, reader, mod = Member(runtime), Member(runtime), _moderator(runtime)
    post = newcomer.write(title=f"Plain {uuid.uuid4().hex[:6]}")
    assert reader.read(post["slug"]).status_code == 200
    edited = newcomer.call("PATCH", f"/api/posts/update/{post['id']}", {"content": ["Words.", LINK]})
    assert edited.json()["moderation"]["state"] == "held", edited.text
    _refused(reader.read(post["slug"]), 404, "post-not-found")
    assert ("post", post["id"], "held") in mod.queue()
    assert mod.decide(post["id"], "dismiss") == "held"  # dismissing leaves a held post held
    assert mod.decide(post["id"], "restore") == "public"  # approved
    assert reader.read(post["slug"]).status_code == 200


def test_a_new_accounts_comment_with_a_link_is_held(runtime: Runtime) -> None:
    author, newcomer, reader, mod = Member(runtime), Member(runtime), Member(runtime), _moderator(runtime)
    post = author.write()
    assert newcomer.comment(post["id"], LINK).status_code == 200
    hidden_from = reader.read(post["slug"]).json()["postInfo"]
    assert (hidden_from["comments"], hidden_from["commentCount"]) == ([], 0)
    [own] = newcomer.read(post["slug"]).json()["postInfo"]["comments"]
    assert own["moderation"]["state"] == "held" and own["payload"] == LINK
    assert ("comment", own["id"], "held") in mod.queue()
    assert mod.decide(own["id"], "restore", "comment") == "public"
    shown = reader.read(post["slug"]).json()["postInfo"]
    assert ([c["id"] for c in shown["comments"]], shown["commentCount"]) == ([own["id"]], 1)


def test_deleting_does_not_escape_the_hourly_limit(runtime: Runtime) -> None:
    newcomer = Member(runtime)
    for _ in range(WRITES_PER_HOUR):
        post = newcomer.write()
        assert newcomer.call("DELETE", f"/api/posts/delete/{post['id']}").status_code == 200
    body = {"title": "One more", "content": ["x"], "preview": "x"}
    _refused(newcomer.call("POST", "/api/posts/create", body), 429, "too-many-requests")


def test_a_held_posts_mention_is_told_once_after_approval(runtime: Runtime) -> None:
    newcomer, zed, mod = Member(runtime), Member(runtime), _moderator(runtime)
    held = newcomer.write(content=[f"@{zed.username} {LINK}"])
    assert held["moderation"]["state"] == "held"
    deadline = time.monotonic() + QUIET_SECONDS
    while time.monotonic() < deadline:
        assert zed.notified("mention") == [], "told of a held post"
        time.sleep(0.5)
    assert mod.decide(held["id"], "restore") == "public"
    told = _eventually(lambda: zed.notified("mention"), bool)
    assert told == [f"/posts/{held['slug']}"]
    assert mod.decide(held["id"], "hide") == "hidden"
    assert mod.decide(held["id"], "restore") == "public"
    # The author's notices of the three decisions come from the events that carry the mentions, on the same consumer.
    _eventually(lambda: newcomer.notified("moderation"), lambda links: len(links) == 3)
    time.sleep(1)
    assert zed.notified("mention") == told  # once


def test_a_hidden_post_leaves_its_coin_page_but_moderators_see_it(runtime: Runtime) -> None:
    author, reader, mod = Member(runtime), Member(runtime), _moderator(runtime)
    post = author.write(title=f"$BTC {uuid.uuid4().hex[:6]}", content=["Thoughts on $BTC."])
    bitcoin = _coin_uuid(runtime.base_url, "BTC")

    def listed() -> list[str]:
        """The coin page's posts; saving the post again resolves its coins again, should the catalogue still be on
        its way."""
        ids = _discussion_ids(runtime.base_url, bitcoin)
        if post["id"] not in ids:
            author.call("PATCH", f"/api/posts/update/{post['id']}", {"content": ["Thoughts on $BTC again."]})
        return ids

    assert post["id"] in _eventually(listed, lambda ids: post["id"] in ids)
    assert mod.decide(post["id"], "hide") == "hidden"
    page = f"/api/posts/coin/{bitcoin}/0/100"
    assert post["id"] not in _discussion_ids(runtime.base_url, bitcoin)  # anonymous
    assert post["id"] not in [row["id"] for row in reader.call("GET", page).json()["rows"]]
    seen = {row["id"]: row["moderation"] for row in mod.call("GET", page).json()["rows"]}
    assert seen[post["id"]]["state"] == "hidden"
