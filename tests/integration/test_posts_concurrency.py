"""Many people voting on one post at the same moment: threads, real PostgreSQL, every vote counted once.

The votes go straight to the posts logic, not through the local gateway: Powertools resolvers keep the request
being handled in class attributes (`BaseRouter.current_event`), so handlers called from several threads of one
process see each other's requests. Lambda runs one request per execution environment, where this cannot happen.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from cryptotalks import db
from cryptotalks.posts import logic
from cryptotalks.posts.models import CreatePostRequest
from tests.posts_support import POST, counted_as_stored, created, quick_author, read, signed_in
from tests.support import Api

VOTERS = 50


def _all_at_once(calls: Sequence[Callable[[], object]]) -> None:
    """Runs the calls on their own threads, released together; re-raises the first failure."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> None:
        start.wait()
        call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        for outcome in [pool.submit(run, call) for call in calls]:
            outcome.result()


def _stored_rating(database: db.Connection, post_id: uuid.UUID) -> Any:
    return database.execute("SELECT rating FROM posts.posts WHERE id = %s", (post_id,)).fetchone()


def test_fifty_simultaneous_votes_count_fifty_and_fifty_flips_count_minus_fifty(
    api: Api, database: db.Connection
) -> None:
    post = created(api, signed_in(api, "host"))
    post_id = uuid.UUID(post["id"])
    voters = [quick_author(f"voter{n}") for n in range(VOTERS)]

    for rate, expected in (("+", VOTERS), ("-", -VOTERS)):
        _all_at_once([partial(logic.rate_post, voter, post_id, rate) for voter in voters])
        assert _stored_rating(database, post_id) == {"rating": expected}
        info = read(api, post["slug"]).body["postInfo"]
        assert info["rating"] == expected
        assert sorted(r["userId"] for r in info["rates"]) == sorted(str(v) for v in voters)
        assert {r["rate"] for r in info["rates"]} == {rate}


def test_one_users_simultaneous_votes_toggle_one_after_the_other(api: Api, database: db.Connection) -> None:
    post = created(api, signed_in(api, "host"))
    post_id = uuid.UUID(post["id"])
    voter = quick_author("clicker")
    # Eleven + at once: the first adds the vote, each next one toggles it; an odd count leaves it in place.
    _all_at_once([partial(logic.rate_post, voter, post_id, "+")] * 11)
    assert _stored_rating(database, post_id) == {"rating": 1}
    assert database.execute("SELECT rate FROM posts.post_votes").fetchall() == [{"rate": "+"}]


def test_simultaneous_comments_and_comment_votes_are_all_counted(api: Api, database: db.Connection) -> None:
    post = created(api, signed_in(api, "host"))
    post_id = uuid.UUID(post["id"])
    voters = [quick_author(f"critic{n}") for n in range(20)]
    _all_at_once([partial(logic.leave_comment, voter, post_id, f"Comment {n}") for n, voter in enumerate(voters)])
    info = read(api, post["slug"]).body["postInfo"]
    assert info["commentCount"] == len(info["comments"]) == 20
    comment_id = uuid.UUID(info["comments"][0]["id"])
    _all_at_once([partial(logic.rate_comment, voter, post_id, comment_id, "-") for voter in voters])
    assert read(api, post["slug"]).body["postInfo"]["comments"][0]["rating"] == -20


def test_simultaneous_posts_with_shared_tags_keep_exact_counts(api: Api, database: db.Connection) -> None:
    """Tags in every order: the counters are locked in one order, so writers wait for each other, never deadlock."""
    authors = [quick_author(f"writer{n}") for n in range(20)]
    tag_sets = [["a", "b", "c"], ["c", "b"], ["b", "a"], ["c", "a"]]
    requests = [CreatePostRequest(**{**POST, "searchTags": tag_sets[n % 4]}) for n in range(20)]
    _all_at_once(
        [partial(logic.create_post, author, request) for author, request in zip(authors, requests, strict=True)]
    )
    assert counted_as_stored(database)
    assert database.execute("SELECT posts FROM posts.post_counts WHERE tag = ''").fetchone() == {"posts": 20}
    _all_at_once([partial(logic.close_account, author) for author in authors])
    assert counted_as_stored(database)
    assert database.execute("SELECT posts FROM posts.post_counts WHERE tag = ''").fetchone() == {"posts": 0}
