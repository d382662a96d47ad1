"""Moderation over HTTP against `cryptotalks dev`: roles granted with `cryptotalks grant`, reports, the queue,
decisions, the automatic holds and the new accounts' limit, as a client sees them."""

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

WRITES_PER_HOUR = 3
PASSWORD = "Str0ng!pass"


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
    author = Member(runtime)
    post = author.write()
    for reporter in (Member(runtime), Member(runtime), Member(runtime)):
        assert reporter.report(post["id"]).status_code == 201
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
