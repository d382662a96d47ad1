"""Consumers of the posts context: user_created fills the authors projection, close_account_delete_posts removes
a closed account's posts. Each delivered twice has one effect."""

from __future__ import annotations

import uuid

from cryptotalks import db
from cryptotalks.events import publish
from cryptotalks.events.catalogue import UserCreated
from cryptotalks.users.events import CloseAccountDeletePosts
from tests.posts_support import (
    comment,
    counted_as_stored,
    created,
    deliver_twice,
    rate_comment,
    rate_post,
    read,
    signed_in,
)
from tests.support import Api

NO_FAILURES: dict[str, list[object]] = {"batchItemFailures": []}


def _count(database: db.Connection, query: str, *params: object) -> int:
    row = database.execute(query, params).fetchone()
    assert row is not None
    return int(row["count"])


def test_user_created_delivered_twice_records_the_author_once(database: db.Connection) -> None:
    user_id = uuid.uuid4()
    event = UserCreated(userId=user_id, email="ria@example.com", username="ria")
    assert deliver_twice("consumers-posts-user-created", event, "users") == [NO_FAILURES, NO_FAILURES]
    assert database.execute("SELECT user_id, username FROM posts.authors").fetchall() == [
        {"user_id": user_id, "username": "ria"}
    ]
    assert _count(database, "SELECT count(*) FROM messaging.inbox WHERE consumer = 'posts.add_author'") == 1


def test_sign_up_reaches_the_posts_projection(api: Api, database: db.Connection) -> None:
    api.sign_up("sue@example.com", "sue")
    api.pipeline.drain()
    assert database.execute("SELECT username, closed_at FROM posts.authors").fetchall() == [
        {"username": "sue", "closed_at": None}
    ]


def test_closing_an_account_deletes_its_posts_and_anonymises_its_words_elsewhere(
    api: Api, database: db.Connection
) -> None:
    leaving, staying = signed_in(api, "tia"), signed_in(api, "ugo")
    own = created(api, leaving, title="Leaving soon")
    other = created(api, staying, title="Still here")
    # On the leaving account's post: a comment and votes by both.
    comment(api, staying, own["id"], "Bye")
    rate_post(api, staying, own["id"], "+")
    rate_post(api, leaving, own["id"], "+")
    # On the other post: the leaving account comments and votes, and is voted on.
    comment(api, leaving, other["id"], "Nice post")
    rate_post(api, leaving, other["id"], "-")
    their_comment = read(api, other["slug"]).body["postInfo"]["comments"][0]["id"]
    rate_comment(api, staying, other["id"], their_comment, "+")
    leaving_id = database.execute("SELECT user_id FROM posts.authors WHERE username = 'tia'").fetchone()
    assert leaving_id is not None

    with db.transaction():
        publish(CloseAccountDeletePosts(userId=leaving_id["user_id"]), "users")
    api.pipeline.drain()

    assert read(api, own["slug"]).status == 404
    assert _count(database, "SELECT count(*) FROM posts.posts") == 1
    assert _count(database, "SELECT count(*) FROM posts.comments WHERE post_id = %s", uuid.UUID(own["id"])) == 0
    assert _count(database, "SELECT count(*) FROM posts.post_votes WHERE post_id = %s", uuid.UUID(own["id"])) == 0
    info = read(api, other["slug"]).body["postInfo"]
    [kept] = info["comments"]
    assert (kept["userId"], kept["username"], kept["payload"], kept["rating"]) == (None, "[deleted]", "Nice post", 1)
    assert [(r["userId"], r["username"], r["rate"]) for r in info["rates"]] == [(None, "[deleted]", "-")]
    assert info["rating"] == -1
    logged = database.execute("SELECT message FROM audit.action_log WHERE event = 'CLOSE_ACC'").fetchall()
    assert len(logged) == 1 and "1 posts" in logged[0]["message"]


def test_close_account_delete_posts_delivered_twice_has_one_effect(api: Api, database: db.Connection) -> None:
    token = signed_in(api, "vic")
    created(api, token, title="One")
    created(api, token, title="Two")
    user_id = database.execute("SELECT user_id FROM posts.authors").fetchone()
    assert user_id is not None
    event = CloseAccountDeletePosts(userId=user_id["user_id"])
    assert deliver_twice("consumers-posts-close-account-delete-posts", event, "users") == [NO_FAILURES, NO_FAILURES]
    assert _count(database, "SELECT count(*) FROM posts.posts") == 0
    assert counted_as_stored(database)
    assert _count(database, "SELECT count(*) FROM messaging.outbox WHERE type = 'delete_post'") == 2
    assert _count(database, "SELECT count(*) FROM messaging.outbox WHERE type = 'log_post_action'") == 3
    assert database.execute("SELECT username FROM posts.authors").fetchall() == [{"username": None}]


def test_a_late_user_created_does_not_reopen_a_closed_account(aws: object, database: db.Connection) -> None:
    """Queues do not keep order: the closing may be consumed before the account's user_created."""
    user_id = uuid.uuid4()
    deliver_twice("consumers-posts-close-account-delete-posts", CloseAccountDeletePosts(userId=user_id), "users")
    deliver_twice(
        "consumers-posts-user-created", UserCreated(userId=user_id, email="w@example.com", username="wes"), "users"
    )
    row = database.execute("SELECT username, closed_at FROM posts.authors").fetchone()
    assert row is not None and row["username"] is None and row["closed_at"] is not None
