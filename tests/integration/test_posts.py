"""The posts module over HTTP, as the gateway serves it: real PostgreSQL, moto, real consumers."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pyotp
import pytest

from cryptotalks import db
from cryptotalks_dev.lambda_context import LocalLambdaContext
from functions import registry
from tests.posts_support import (
    POST,
    counted_as_stored,
    create,
    created,
    listed,
    published,
    rate_post,
    read,
    refused,
    signed_in,
)
from tests.support import Api, latest_sms_code

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


# Create


def test_create_answers_id_and_slug_and_takes_the_author_from_the_token(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "ann")
    answer = create(api, token, title="  Why I hold Bitcoin!  ", username="mallory", userId=UNKNOWN_ID)
    assert answer.status == 201
    assert set(answer.body) == {"message", "id", "slug", "moderation"} and answer.body["moderation"] is None
    assert (answer.body["message"], answer.body["slug"]) == ("success", "why-i-hold-bitcoin")
    post = read(api, answer.body["slug"]).body
    assert (post["id"], post["username"], post["title"]) == (answer.body["id"], "ann", "Why I hold Bitcoin!")
    assert post["content"] == POST["content"] and post["searchTags"] == ["bitcoin", "hodl"]
    [event] = published(database, "post_created")
    assert (event["postId"], event["username"], event["slug"]) == (answer.body["id"], "ann", "why-i-hold-bitcoin")
    api.pipeline.drain()
    logged = database.execute("SELECT event, source FROM audit.action_log WHERE source = 'posts'").fetchall()
    assert logged == [{"event": "CREATE_POST", "source": "posts"}]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello   World", "hello-world"),
        ("ETH -- to the moon?", "eth-to-the-moon"),
        ("snake_case & Co.", "snake_case-co"),
        ("Биткоин", "post"),
    ],
)
def test_the_slug_comes_from_the_title(api: Api, database: db.Connection, title: str, slug: str) -> None:
    token = signed_in(api, "bob")
    assert created(api, token, title=title)["slug"] == slug


def test_a_shared_title_gets_a_short_suffix(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "cid")
    first, second = created(api, token), created(api, token)
    assert first["slug"] == "why-i-hold-bitcoin"
    assert second["slug"].startswith("why-i-hold-bitcoin-") and len(second["slug"]) == len(first["slug"]) + 7
    assert read(api, second["slug"]).body["id"] == second["id"]


@pytest.mark.parametrize("tags", [[""], ["   "], ["x" * 21], ["ok", ""]])
def test_create_refuses_bad_tag_lengths(api: Api, database: db.Connection, tags: list[str]) -> None:
    token = signed_in(api, "dee")
    refused(create(api, token, searchTags=tags), 400, "tag-length")
    assert database.execute("SELECT count(*) FROM posts.posts").fetchone() == {"count": 0}


def test_tags_are_stored_in_lower_case_once(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "eli")
    slug = created(api, token, searchTags=["Bitcoin", " bitcoin ", "DeFi"])["slug"]
    assert read(api, slug).body["searchTags"] == ["bitcoin", "defi"]


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "t" * 201},
        {"title": None},
        {"content": "one paragraph, not a list"},
        {"content": []},
        {"content": ["p"] * 51},
        {"content": ["p" * 5001]},
        {"preview": ""},
        {"searchTags": ["a"] * 11},
        {"searchTags": ["a,b"]},
        {"searchTags": "bitcoin"},
    ],
)
def test_create_refuses_invalid_bodies(api: Api, database: db.Connection, changes: dict[str, Any]) -> None:
    token = signed_in(api, "fay")
    refused(create(api, token, **changes), 400, "validation-error")


def test_create_refuses_missing_fields_and_non_json(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "gus")
    for field in ("title", "content", "preview"):
        body = {k: v for k, v in POST.items() if k != field}
        refused(api.call("POST", "/api/posts/create", body, token=token), 400, "validation-error")
    refused(api.call("POST", "/api/posts/create", b"{oops", token=token), 400, "validation-error")
    # Tags may be left out.
    body = {k: v for k, v in POST.items() if k != "searchTags"}
    assert api.call("POST", "/api/posts/create", body, token=token).status == 201


def test_writes_need_a_signed_in_caller(api: Api, database: db.Connection) -> None:
    for method, path, body in [
        ("POST", "/api/posts/create", POST),
        ("PATCH", f"/api/posts/update/{UNKNOWN_ID}", {"title": "x"}),
        ("DELETE", f"/api/posts/delete/{UNKNOWN_ID}", None),
        ("PATCH", f"/api/posts/comment/{UNKNOWN_ID}", {"comment": "x"}),
        ("PATCH", f"/api/posts/rate/post/{UNKNOWN_ID}", {"rate": "+"}),
        ("PATCH", f"/api/posts/rate/comment/{UNKNOWN_ID}/{UNKNOWN_ID}", {"rate": "+"}),
    ]:
        refused(api.call(method, path, body), 401, "invalid-token")
        refused(api.call(method, path, body, token="not.a.jwt"), 401, "invalid-token")


# Get


def test_anyone_can_read_a_post_in_the_original_shape(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "hal")
    post = created(api, token)
    answer = read(api, post["slug"])
    assert answer.status == 200
    assert set(answer.body) == {
        "id",
        "userId",
        "username",
        "title",
        "slug",
        "content",
        "preview",
        "searchTags",
        "createdAt",
        "updatedAt",
        "postInfo",
        "moderation",
        "coins",  # beyond the original: the coins the post mentions
    }
    assert answer.body["postInfo"] == {"rates": [], "comments": [], "rating": 0, "commentCount": 0}
    refused(read(api, "no-such-post"), 404, "post-not-found")
    refused(read(api, "x" * 201), 400, "validation-error")


def test_only_the_author_opens_a_post_to_edit(api: Api, database: db.Connection) -> None:
    author, other = signed_in(api, "ida"), signed_in(api, "jon")
    slug = created(api, author)["slug"]
    assert read(api, slug, author, "?toEdit=yes").body["slug"] == slug
    refused(read(api, slug, other, "?toEdit=yes"), 403, "wrong-user")
    refused(read(api, slug, None, "?toEdit=yes"), 403, "wrong-user")
    # Any other value reads as usual, as in the original.
    assert read(api, slug, other, "?toEdit=no").status == 200
    refused(read(api, "no-such-post", author, "?toEdit=yes"), 404, "post-not-found")


def test_votes_and_comments_show_who_and_flag_the_readers_own(api: Api, database: db.Connection) -> None:
    author, reader = signed_in(api, "kai"), signed_in(api, "lou")
    post = created(api, author)
    assert api.call("PATCH", f"/api/posts/rate/post/{post['id']}", {"rate": "+"}, token=reader).status == 200
    assert api.call("PATCH", f"/api/posts/rate/post/{post['id']}", {"rate": "-"}, token=author).status == 200
    assert api.call("PATCH", f"/api/posts/comment/{post['id']}", {"comment": " Nice one "}, token=reader).status == 200
    info = read(api, post["slug"], reader).body["postInfo"]
    assert [(r["username"], r["rate"], r["rated"]) for r in info["rates"]] == [("lou", "+", True), ("kai", "-", False)]
    assert info["rating"] == 0 and info["commentCount"] == 1
    [note] = info["comments"]
    assert (note["username"], note["payload"], note["commentRates"], note["rating"]) == ("lou", "Nice one", [], 0)
    assert set(note) == {"id", "userId", "username", "payload", "createdAt", "commentRates", "rating", "moderation"}
    anonymous = read(api, post["slug"]).body["postInfo"]
    assert not any(r["rated"] for r in anonymous["rates"])
    # An invalid token reads as a signed-out reader.
    assert read(api, post["slug"], "not.a.jwt").status == 200


# List


def _titles(answer: Any) -> list[str]:
    assert answer.status == 200, answer.body
    return [row["title"] for row in answer.body["rows"]]


def test_list_pages_and_orders(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "max")
    for title in ("Bravo", "alpha", "Charlie", "Delta", "Echo"):
        created(api, token, title=title)
    newest = listed(api, "0/2/DESC/createdAt")
    assert _titles(newest) == ["Echo", "Delta"] and newest.body["count"] == 5
    assert _titles(listed(api, "1/2/DESC/createdAt")) == ["Charlie", "alpha"]
    last = listed(api, "2/2/DESC/createdAt")
    assert _titles(last) == ["Bravo"] and last.body["count"] == 5
    beyond = listed(api, "9/2/desc/createdAt")
    assert _titles(beyond) == [] and beyond.body["count"] == 5
    assert _titles(listed(api, "0/10/ASC/createdAt")) == ["Bravo", "alpha", "Charlie", "Delta", "Echo"]
    assert _titles(listed(api, "0/10/asc/title")) == ["alpha", "Bravo", "Charlie", "Delta", "Echo"]
    assert _titles(listed(api, "0/2/DESC/title")) == ["Echo", "Delta"]
    row = listed(api, "0/1/DESC/createdAt").body["rows"][0]
    assert set(row) == {
        "id",
        "userId",
        "username",
        "title",
        "preview",
        "slug",
        "searchTags",
        "createdAt",
        "rates",
        "rating",
        "commentCount",
        "moderation",
    }


def test_list_orders_by_rating(api: Api, database: db.Connection) -> None:
    author, fan = signed_in(api, "ned"), signed_in(api, "oda")
    liked, _plain, disliked = (created(api, author, title=t) for t in ("Liked", "Plain", "Disliked"))
    api.call("PATCH", f"/api/posts/rate/post/{liked['id']}", {"rate": "+"}, token=fan)
    api.call("PATCH", f"/api/posts/rate/post/{disliked['id']}", {"rate": "-"}, token=fan)
    answer = listed(api, "0/10/DESC/rate", token=fan)
    assert _titles(answer) == ["Liked", "Plain", "Disliked"]
    assert [row["rating"] for row in answer.body["rows"]] == [1, 0, -1]
    assert answer.body["rows"][0]["rates"] == [
        {"userId": answer.body["rows"][0]["rates"][0]["userId"], "username": "oda", "rate": "+", "rated": True}
    ]
    assert _titles(listed(api, "0/10/ASC/rate")) == ["Disliked", "Plain", "Liked"]


def test_a_list_page_does_not_grow_with_the_votes_of_its_posts(api: Api, database: db.Connection) -> None:
    """A post with 10,000 votes: the list shows their sum and the reader's own vote, not every vote (the post's
    page still shows them all)."""
    author, fan = signed_in(api, "vic"), signed_in(api, "wyn")
    post = created(api, author, title="Popular")
    before = json.dumps(listed(api, token=fan).body)
    rate_post(api, fan, post["id"], "+")
    database.execute(
        "WITH voters AS (INSERT INTO posts.authors (user_id, username)"
        " SELECT gen_random_uuid(), 'voter' || n FROM generate_series(1, 9999) n RETURNING user_id)"
        " INSERT INTO posts.post_votes (post_id, user_id, rate) SELECT %s, user_id, '+' FROM voters",
        (post["id"],),
    )
    database.execute("UPDATE posts.posts SET rating = rating + 9999 WHERE id = %s", (post["id"],))

    as_fan = listed(api, token=fan).body
    [row] = as_fan["rows"]
    assert row["rating"] == 10_000
    assert [(r["username"], r["rate"], r["rated"]) for r in row["rates"]] == [("wyn", "+", True)]
    own_vote = json.dumps(row["rates"][0])
    assert len(json.dumps(as_fan)) <= len(before) + len(own_vote) + len(", 10000")
    anonymous = listed(api).body
    assert anonymous["rows"][0]["rates"] == [] and len(json.dumps(anonymous)) <= len(before) + len("10000")
    assert len(read(api, post["slug"]).body["postInfo"]["rates"]) == 10_000


def test_list_filters_by_author_tags_and_search(api: Api, database: db.Connection) -> None:
    pat, quin = signed_in(api, "pat"), signed_in(api, "Quin")
    created(api, pat, title="Staking explained", content=["Proof of stake rewards validators."], searchTags=["eth"])
    created(api, pat, title="Mining rigs", content=["Hashrate and electricity."], searchTags=["btc", "mining"])
    created(api, quin, title="My first wallet", content=["I staked a little."], searchTags=["wallets"])
    created(api, quin, title="Layer two", content=["Rollups settle on Ethereum."], searchTags=["eth", "l2"])

    assert sorted(_titles(listed(api, query="?username=pat"))) == ["Mining rigs", "Staking explained"]
    assert sorted(_titles(listed(api, query="?username=QUIN"))) == ["Layer two", "My first wallet"]
    assert _titles(listed(api, query="?username=pa")) == []  # the author, not a part of a name
    assert sorted(_titles(listed(api, query="?tags=ETH"))) == ["Layer two", "Staking explained"]
    assert sorted(_titles(listed(api, query="?tags=mining,%20wallets,"))) == ["Mining rigs", "My first wallet"]
    assert _titles(listed(api, query="?tags=eth&username=quin")) == ["Layer two"]
    # Full text, stemmed: "staking" finds "staked"; a title match ranks above a content match.
    found = listed(api, "0/10/ASC/createdAt", "?searchQuery=staking")
    assert _titles(found) == ["Staking explained", "My first wallet"] and found.body["count"] == 2
    assert _titles(listed(api, query="?searchQuery=ethereum%20rollups")) == ["Layer two"]
    assert _titles(listed(api, query="?searchQuery=%22proof%20of%20stake%22")) == ["Staking explained"]
    assert _titles(listed(api, query="?searchQuery=")) != []
    assert listed(api, query="?searchQuery=nothing-like-this").body == {"rows": [], "count": 0}


def test_counts_of_full_pages_come_from_the_kept_counters(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "lee")
    posts = [
        created(api, token, title=f"Post {n}", searchTags=tags) for n, tags in enumerate((["a", "b"], ["b"], ["c"]))
    ]
    assert counted_as_stored(database)
    assert listed(api, "0/1/DESC/createdAt").body["count"] == 3
    assert listed(api, "0/1/DESC/createdAt", "?tags=b").body["count"] == 2
    assert listed(api, "0/1/DESC/createdAt", "?tags=a,c").body["count"] == 2
    assert listed(api, "0/1/DESC/createdAt", "?tags=nope").body["count"] == 0
    api.call("PATCH", f"/api/posts/update/{posts[0]['id']}", {"searchTags": ["c"]}, token=token)
    api.call("PATCH", f"/api/posts/rate/post/{posts[0]['id']}", {"rate": "+"}, token=token)
    api.call("DELETE", f"/api/posts/delete/{posts[1]['id']}", token=token)
    assert counted_as_stored(database)
    assert listed(api, "0/1/DESC/createdAt", "?tags=c").body["count"] == 2
    assert listed(api, "0/1/DESC/createdAt", "?tags=b").body["count"] == 0


def test_a_search_lists_and_counts_the_newest_matches_only(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptotalks.posts import data

    monkeypatch.setattr(data, "MAX_SEARCH_RESULTS", 2)
    token = signed_in(api, "kit")
    for title in ("Oldest staking note", "Staking again", "Newest staking thoughts", "Unrelated"):
        created(api, token, title=title)
    found = listed(api, "0/10/DESC/createdAt", "?searchQuery=staking")
    assert sorted(_titles(found)) == ["Newest staking thoughts", "Staking again"] and found.body["count"] == 2
    assert listed(api, "1/1/DESC/createdAt", "?searchQuery=staking").body["count"] == 2
    assert listed(api, "5/1/DESC/createdAt", "?searchQuery=staking").body == {"rows": [], "count": 2}


def _recent_documents_as_kept(database: db.Connection) -> bool:
    """posts.recent_search_documents holds exactly the documents from its start on, as posts.search_documents has
    them."""
    found = database.execute(
        "SELECT count(*) AS n FROM (SELECT d.* FROM posts.search_documents d WHERE d.created_at >="
        " coalesce((SELECT starts_at FROM posts.recent_search), '-infinity')) d"
        " FULL JOIN posts.recent_search_documents r ON r.post_id = d.post_id"
        " WHERE d.post_id IS NULL OR r.post_id IS NULL OR (r.*) IS DISTINCT FROM (d.*)"
    ).fetchone()
    return found == {"n": 0}


def test_a_search_looks_among_the_newest_posts_first_and_finds_the_same_newest_matches(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest SEARCH_WINDOW posts' documents are searched first, kept by the hourly job; whether they hold
    enough matches or not, a search finds the newest matches of all posts."""
    from cryptotalks.posts import data

    monkeypatch.setattr(data, "MAX_SEARCH_RESULTS", 2)
    monkeypatch.setattr(data, "SEARCH_WINDOW", 2)
    job = next(d for d in registry.jobs() if d.function_id == "jobs-refresh-recent-search")
    assert job.declaration.interval_seconds == 3600
    token = signed_in(api, "kit")
    for title in ("Oldest staking note", "Staking again", "Unrelated", "Newest staking thoughts", "Other news"):
        created(api, token, title=title)
    staking = ["Newest staking thoughts", "Staking again"]
    assert sorted(_titles(listed(api, "0/10/DESC/createdAt", "?searchQuery=staking"))) == staking

    # The newest two posts hold one match: every post is searched.
    assert job.handler({}, LocalLambdaContext(job.function_id)) == {"dropped": 3}
    assert _recent_documents_as_kept(database)
    found = listed(api, "0/10/DESC/createdAt", "?searchQuery=staking")
    assert sorted(_titles(found)) == staking and found.body["count"] == 2

    # A new post joins them: now they hold two, the newest.
    newest = created(api, token, title="Latest staking news")
    api.call("PATCH", f"/api/posts/update/{newest['id']}", {"content": ["Staking rewards, again."]}, token=token)
    assert _recent_documents_as_kept(database)
    found = listed(api, "0/10/DESC/createdAt", "?searchQuery=staking")
    assert sorted(_titles(found)) == ["Latest staking news", "Newest staking thoughts"] and found.body["count"] == 2
    assert job.handler({}, LocalLambdaContext(job.function_id)) == {"dropped": 1}
    assert _recent_documents_as_kept(database)


def test_search_documents_follow_every_write_and_combine_with_the_other_filters(
    api: Api, database: db.Connection
) -> None:
    """Search reads posts.search_documents, kept by triggers: each post has exactly its document, after creating,
    editing and deleting; a search combines with tags and author, with phrases and with excluded words."""
    ada, bea = signed_in(api, "ada"), signed_in(api, "bea")
    cold = created(api, ada, title="Cold storage basics", content=["Keep keys offline."], searchTags=["security"])
    created(api, ada, title="Storage of cold drinks", content=["Off topic."], searchTags=["memes"])
    hot = created(api, bea, title="Hot wallets", content=["Cold storage is safer."], searchTags=["security"])
    gone = created(api, bea, title="Cold storage mistakes", content=["Lost seed."], searchTags=["security"])
    api.call("DELETE", f"/api/posts/delete/{gone['id']}", token=bea)
    api.call("PATCH", f"/api/posts/update/{hot['id']}", {"content": ["Custody is a choice."]}, token=bea)

    stale = database.execute(
        "SELECT count(*) AS n FROM posts.posts p FULL JOIN posts.search_documents d ON d.post_id = p.id"
        " WHERE d.post_id IS NULL OR p.id IS NULL OR d.created_at <> p.created_at"
        " OR d.document <> posts.search_document(p.title, p.search_tags, p.content)"
    ).fetchone()
    assert stale == {"n": 0}
    assert _recent_documents_as_kept(database)
    assert sorted(_titles(listed(api, query="?searchQuery=cold%20storage"))) == [
        "Cold storage basics",
        "Storage of cold drinks",
    ]
    assert _titles(listed(api, query="?searchQuery=%22cold%20storage%22")) == ["Cold storage basics"]
    assert _titles(listed(api, query="?searchQuery=storage%20-drinks")) == ["Cold storage basics"]
    assert _titles(listed(api, query="?searchQuery=cold&tags=memes")) == ["Storage of cold drinks"]
    assert _titles(listed(api, query="?searchQuery=custody&username=bea&tags=security")) == ["Hot wallets"]
    assert listed(api, query="?searchQuery=custody&username=ada").body == {"rows": [], "count": 0}
    assert cold["slug"] == "cold-storage-basics"


def test_signed_in_readers_see_everyones_posts(api: Api, database: db.Connection) -> None:
    rae, sam = signed_in(api, "rae"), signed_in(api, "sam")
    created(api, rae, title="From Rae")
    created(api, sam, title="From Sam")
    assert sorted(_titles(listed(api, token=rae))) == ["From Rae", "From Sam"]


@pytest.mark.parametrize(
    "path",
    [
        "0/10/UP/createdAt",
        "0/10/DESC/likes",
        "0/10/DESC/created_at",
        "-1/10/DESC/createdAt",
        "x/10/DESC/createdAt",
        "0/0/DESC/createdAt",
        "0/101/DESC/createdAt",
        "0/ten/DESC/createdAt",
        "1000001/10/DESC/createdAt",
    ],
)
def test_list_refuses_unknown_paging_and_orders(api: Api, database: db.Connection, path: str) -> None:
    refused(listed(api, path), 400, "validation-error")


def test_list_refuses_overlong_filters(api: Api, database: db.Connection) -> None:
    refused(listed(api, query="?searchQuery=" + "a" * 201), 400, "validation-error")
    refused(listed(api, query="?username=" + "a" * 33), 400, "validation-error")


# Update


def test_the_author_updates_some_fields_and_a_new_title_gives_a_new_slug(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "tom")
    post = created(api, token)
    answer = api.call(
        "PATCH", f"/api/posts/update/{post['id']}", {"preview": "Shorter", "rates": [{"rate": "+"}]}, token=token
    )
    assert answer.body == {"message": "success", "id": post["id"], "slug": post["slug"], "moderation": None}
    kept = read(api, post["slug"]).body
    assert (kept["preview"], kept["title"], kept["postInfo"]["rates"]) == ("Shorter", POST["title"], [])

    renamed = api.call(
        "PATCH",
        f"/api/posts/update/{post['id']}",
        {"title": "Why I sold Bitcoin", "content": ["Changed my mind."], "searchTags": ["BTC"]},
        token=token,
    )
    assert renamed.status == 200 and renamed.body["slug"] == "why-i-sold-bitcoin"
    refused(read(api, post["slug"]), 404, "post-not-found")
    now = read(api, "why-i-sold-bitcoin").body
    assert (now["content"], now["searchTags"], now["preview"]) == (["Changed my mind."], ["btc"], "Shorter")
    assert now["updatedAt"] > now["createdAt"]
    assert _titles(listed(api, query="?searchQuery=mind")) == ["Why I sold Bitcoin"]
    events = published(database, "update_post")
    assert [e["changed"] for e in events] == [["preview"], ["content", "searchTags", "title"]]


def test_a_title_with_the_same_slug_keeps_it(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "uma")
    post = created(api, token, title="Gas fees")
    answer = api.call("PATCH", f"/api/posts/update/{post['id']}", {"title": "Gas Fees!"}, token=token)
    assert answer.body["slug"] == "gas-fees"
    other = created(api, token, title="Gas")
    answer = api.call("PATCH", f"/api/posts/update/{other['id']}", {"title": "Gas fees"}, token=token)
    assert answer.body["slug"].startswith("gas-fees-")


def test_update_errors(api: Api, database: db.Connection) -> None:
    author, other = signed_in(api, "val"), signed_in(api, "wes")
    post = created(api, author)
    path = f"/api/posts/update/{post['id']}"
    refused(api.call("PATCH", path, {"title": "Mine now"}, token=other), 403, "wrong-user")
    refused(api.call("PATCH", f"/api/posts/update/{UNKNOWN_ID}", {"title": "x"}, token=author), 404, "post-not-found")
    refused(api.call("PATCH", "/api/posts/update/not-a-uuid", {"title": "x"}, token=author), 400, "validation-error")
    refused(api.call("PATCH", path, {}, token=author), 400, "validation-error")
    refused(api.call("PATCH", path, {"title": None}, token=author), 400, "validation-error")
    refused(api.call("PATCH", path, {"title": ""}, token=author), 400, "validation-error")
    refused(api.call("PATCH", path, {"searchTags": ["x" * 21]}, token=author), 400, "tag-length")
    assert read(api, post["slug"]).body["title"] == POST["title"]


# Delete


def test_the_author_deletes_a_post_with_its_comments_and_votes(api: Api, database: db.Connection) -> None:
    author, other = signed_in(api, "xia"), signed_in(api, "yan")
    post = created(api, author)
    api.call("PATCH", f"/api/posts/comment/{post['id']}", {"comment": "First"}, token=other)
    api.call("PATCH", f"/api/posts/rate/post/{post['id']}", {"rate": "+"}, token=other)
    comment_id = read(api, post["slug"]).body["postInfo"]["comments"][0]["id"]
    api.call("PATCH", f"/api/posts/rate/comment/{post['id']}/{comment_id}", {"rate": "+"}, token=author)

    refused(api.call("DELETE", f"/api/posts/delete/{post['id']}", token=other), 403, "wrong-user")
    answer = api.call("DELETE", f"/api/posts/delete/{post['id']}?code=&twoFaCode=", token=author)
    assert (answer.status, answer.body) == (200, {"message": "success"})
    refused(read(api, post["slug"]), 404, "post-not-found")
    for table in ("posts", "comments", "post_votes", "comment_votes"):
        assert database.execute(f"SELECT count(*) FROM posts.{table}").fetchone() == {"count": 0}
    assert [e["postId"] for e in published(database, "delete_post")] == [post["id"]]
    refused(api.call("DELETE", f"/api/posts/delete/{post['id']}", token=author), 404, "post-not-found")
    refused(api.call("DELETE", "/api/posts/delete/42", token=author), 400, "validation-error")


def _with_totp(api: Api, token: str) -> pyotp.TOTP:
    secret = api.call("POST", "/api/user/set-2fa", {}, token=token).body["twoFaToken"]
    totp = pyotp.TOTP(secret)
    body = {"twoFaToken": secret, "twoFaCode": totp.now()}
    assert api.call("POST", "/api/user/set-2fa", body, token=token).body == {"message": "success"}
    return totp


def test_an_author_with_an_authenticator_app_confirms_a_deletion(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "ali")
    totp = _with_totp(api, token)
    post = created(api, token)
    path = f"/api/posts/delete/{post['id']}"
    assert api.call("DELETE", path, token=token).body == {"message": "two-fa-required"}
    refused(api.call("DELETE", f"{path}?twoFaCode=000000", token=token), 400, "wrong-2fa")
    assert read(api, post["slug"]).status == 200
    database.execute("UPDATE users.settings SET two_fa_last_step = NULL")  # as if the next 30-second step began
    assert api.call("DELETE", f"{path}?twoFaCode={totp.now()}", token=token).body == {"message": "success"}
    refused(read(api, post["slug"]), 404, "post-not-found")


def test_an_author_with_a_phone_confirms_a_deletion_by_sms(api: Api, database: db.Connection) -> None:
    token, phone = signed_in(api, "bea"), "+48123123123"
    assert api.call("POST", "/api/user/set-phone", {"phone": phone}, token=token).body == {"message": "code-sent"}
    api.pipeline.drain()
    body = {"phone": phone, "code": latest_sms_code(phone)}
    assert api.call("POST", "/api/user/set-phone", body, token=token).body == {"message": "success"}
    post = created(api, token)
    path = f"/api/posts/delete/{post['id']}"
    assert api.call("DELETE", path, token=token).body == {"message": "phone-two-fa-required"}
    api.pipeline.drain()
    refused(api.call("DELETE", f"{path}?code=000000", token=token), 400, "phone-code-error")
    assert api.call("DELETE", f"{path}?code={latest_sms_code(phone)}", token=token).body == {"message": "success"}
    refused(read(api, post["slug"]), 404, "post-not-found")


# Comments


def test_any_signed_in_user_comments(api: Api, database: db.Connection) -> None:
    author, other = signed_in(api, "zed"), signed_in(api, "amy")
    post = created(api, author)
    for token, text in ((other, "Agreed"), (author, "Thanks")):
        answer = api.call("PATCH", f"/api/posts/comment/{post['id']}", {"comment": text}, token=token)
        assert (answer.status, answer.body) == (200, {"message": "success"})
    comments = read(api, post["slug"]).body["postInfo"]["comments"]
    assert [(c["username"], c["payload"]) for c in comments] == [("amy", "Agreed"), ("zed", "Thanks")]
    [event, _] = published(database, "leave_comment")
    assert (event["postId"], event["username"], event["comment"]) == (post["id"], "amy", "Agreed")


def test_comment_errors(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "ben")
    post = created(api, token)
    path = f"/api/posts/comment/{post['id']}"
    refused(
        api.call("PATCH", f"/api/posts/comment/{UNKNOWN_ID}", {"comment": "Hi"}, token=token), 404, "post-not-found"
    )
    for body in ({"comment": ""}, {"comment": "   "}, {"comment": "c" * 5001}, {}, {"comment": 7}):
        refused(api.call("PATCH", path, body, token=token), 400, "validation-error")
    assert database.execute("SELECT count(*) FROM posts.comments").fetchone() == {"count": 0}


# Votes


def _rating(api: Api, slug: str, token: str | None = None) -> tuple[int, list[tuple[str, str, bool]]]:
    info = read(api, slug, token).body["postInfo"]
    return info["rating"], [(r["username"], r["rate"], r["rated"]) for r in info["rates"]]


def test_rating_a_post_toggles(api: Api, database: db.Connection) -> None:
    author, fan = signed_in(api, "cal"), signed_in(api, "dot")
    post = created(api, author)
    path = f"/api/posts/rate/post/{post['id']}"
    assert api.call("PATCH", path, {"rate": "+"}, token=fan).body == {"message": "success"}
    assert _rating(api, post["slug"], fan) == (1, [("dot", "+", True)])
    api.call("PATCH", path, {"rate": "+"}, token=fan)  # the same vote again withdraws it
    assert _rating(api, post["slug"], fan) == (0, [])
    api.call("PATCH", path, {"rate": "+"}, token=fan)
    api.call("PATCH", path, {"rate": "-"}, token=fan)  # the other vote flips it
    assert _rating(api, post["slug"], fan) == (-1, [("dot", "-", True)])
    assert database.execute("SELECT count(*) FROM posts.post_votes").fetchone() == {"count": 1}
    votes = [(e["rate"], e["vote"]) for e in published(database, "update_post_info")]
    assert votes == [("+", "+"), ("+", None), ("+", "+"), ("-", "-")]


@pytest.mark.parametrize("rate", ["++", "1", "up", "", " +"])
def test_rating_refuses_other_values(api: Api, database: db.Connection, rate: str) -> None:
    token = signed_in(api, "eve")
    post = created(api, token)
    refused(api.call("PATCH", f"/api/posts/rate/post/{post['id']}", {"rate": rate}, token=token), 400, "wrong-rate")


def test_rating_errors(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "fox")
    post = created(api, token)
    path = f"/api/posts/rate/post/{post['id']}"
    refused(api.call("PATCH", f"/api/posts/rate/post/{UNKNOWN_ID}", {"rate": "+"}, token=token), 404, "post-not-found")
    for body in ({}, {"rate": 1}, {"rate": None}):
        refused(api.call("PATCH", path, body, token=token), 400, "validation-error")


def test_rating_a_comment_toggles_and_checks_the_comment(api: Api, database: db.Connection) -> None:
    author, fan = signed_in(api, "gil"), signed_in(api, "hex")
    post, other_post = created(api, author), created(api, author, title="Another")
    for text in ("First", "Second", "Third"):
        api.call("PATCH", f"/api/posts/comment/{post['id']}", {"comment": text}, token=author)
    comments = read(api, post["slug"]).body["postInfo"]["comments"]
    first = comments[0]["id"]  # not the last one: the original could rate only the last comment
    path = f"/api/posts/rate/comment/{post['id']}/{first}"

    assert api.call("PATCH", path, {"rate": "-"}, token=fan).body == {"message": "success"}
    rated = read(api, post["slug"], fan).body["postInfo"]["comments"][0]
    assert rated["rating"] == -1 and [(r["username"], r["rate"], r["rated"]) for r in rated["commentRates"]] == [
        ("hex", "-", True)
    ]
    api.call("PATCH", path, {"rate": "+"}, token=fan)
    assert read(api, post["slug"]).body["postInfo"]["comments"][0]["rating"] == 1
    api.call("PATCH", path, {"rate": "+"}, token=fan)
    assert read(api, post["slug"]).body["postInfo"]["comments"][0]["commentRates"] == []

    refused(api.call("PATCH", path, {"rate": "x"}, token=fan), 400, "wrong-rate")
    unknown = f"/api/posts/rate/comment/{post['id']}/{UNKNOWN_ID}"
    refused(api.call("PATCH", unknown, {"rate": "+"}, token=fan), 400, "comment-doesnt-exist")
    elsewhere = f"/api/posts/rate/comment/{other_post['id']}/{first}"
    refused(api.call("PATCH", elsewhere, {"rate": "+"}, token=fan), 400, "comment-doesnt-exist")
    no_post = f"/api/posts/rate/comment/{UNKNOWN_ID}/{first}"
    refused(api.call("PATCH", no_post, {"rate": "+"}, token=fan), 404, "post-not-found")
    bad = f"/api/posts/rate/comment/{post['id']}/not-a-uuid"
    refused(api.call("PATCH", bad, {"rate": "+"}, token=fan), 400, "validation-error")
    assert [e["commentId"] for e in published(database, "update_post_info")] == [first] * 3


def test_a_caller_unknown_to_posts_gets_a_clearrefused(api: Api, database: db.Connection) -> None:
    """The posts projection lags behind sign-up until user_created is consumed."""
    from cryptotalks.auth import logic as auth

    token = auth.open_session(uuid.uuid4()).access_token
    refused(create(api, token), 404, "user-not-found")
