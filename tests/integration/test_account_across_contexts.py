"""What a user does in the users context reaches the posts and crypto contexts through events."""

from __future__ import annotations

import pytest

from cryptotalks import db
from tests.crypto_support import go_offline, run_sync_job
from tests.posts_support import comment, created, listed
from tests.support import STRONG_PASSWORD, Api

BITCOIN = "Qwsogvtv82FCd"  # Coinranking's id of Bitcoin, in the bundled snapshot


@pytest.fixture
def coins(api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    go_offline(monkeypatch)
    run_sync_job(force=True)
    api.pipeline.drain()


def test_closing_an_account_removes_its_posts_and_favourites(api: Api, database: db.Connection, coins: None) -> None:
    leaving = api.signed_in_token("una@example.com", "una")
    staying = api.signed_in_token("vic@example.com", "vic")
    api.pipeline.drain()
    own_post = created(api, leaving, title="Leaving soon")
    other_post = created(api, staying, title="Staying here")
    assert comment(api, leaving, other_post["id"], "Good bye").status == 200
    assert api.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=leaving).status == 200

    closed = api.call("POST", "/api/user/close-account", {"password": STRONG_PASSWORD}, token=leaving)
    assert closed.body == {"message": "success"}
    api.pipeline.drain()

    assert database.execute("SELECT count(*) FROM posts.posts WHERE id = %s", (own_post["id"],)).fetchone() == {
        "count": 0
    }
    assert database.execute("SELECT count(*) FROM crypto.favorites").fetchone() == {"count": 0}
    post = api.call("GET", f"/api/posts/get/{other_post['slug']}").body
    [left_comment] = post["postInfo"]["comments"]
    assert left_comment["payload"] == "Good bye" and left_comment["userId"] is None
    assert api.call("GET", "/api/user/get/una").status == 404


def test_a_new_username_reaches_posts_and_favourites(api: Api, database: db.Connection, coins: None) -> None:
    token = api.signed_in_token("wes@example.com", "wes")
    api.pipeline.drain()
    created(api, token, title="Renamed author")
    api.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=token)
    renamed = api.call("PATCH", "/api/user/set-personal-settings", {"username": "wesley"}, token=token)
    assert renamed.body == {"message": "success"}
    api.pipeline.drain()
    rows = listed(api, query="?username=wesley").body["rows"]
    assert [row["title"] for row in rows] == ["Renamed author"]
    favourites = api.call("GET", "/api/crypto/list-favorites/0/10/ASC/rank?username=wesley").body
    assert [coin["uuid"] for coin in favourites["rows"]] == [BITCOIN]
