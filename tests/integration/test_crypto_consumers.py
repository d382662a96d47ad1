"""The crypto context's consumers: every event delivered twice has one effect."""

from __future__ import annotations

import pytest

from cryptotalks import db
from cryptotalks.events import publish
from cryptotalks.users.events import CloseAccountCoins
from tests.crypto_support import BITCOIN, MarketStandIn, deliver_twice, run_sync_job
from tests.support import Api

ETHEREUM = "razxDUgYGNAdQ"


@pytest.fixture
def coins(market: MarketStandIn, api: Api, monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setenv("COIN_DESCRIPTIONS_PER_SYNC", "0")
    assert run_sync_job()["coins"] == 50
    return api


def _signed_in(api: Api, database: db.Connection, username: str) -> tuple[str, str]:
    """The access token and the user id."""
    api.signed_up_and_confirmed(f"{username}@example.com", username)
    token: str = api.sign_in(f"{username}@example.com").body["_at"]
    row = database.execute("SELECT user_id FROM crypto.users WHERE username = %s", (username,)).fetchone()
    assert row
    return token, str(row["user_id"])


def test_user_created_keeps_the_username(api: Api, database: db.Connection) -> None:
    api.sign_up("ann@example.com", "ann")
    deliver_twice(api.pipeline, "consumers-crypto-user-created")
    assert database.execute("SELECT username FROM crypto.users").fetchall() == [{"username": "ann"}]


def test_favourite_counts_are_right_whatever_the_deliveries(coins: Api, database: db.Connection) -> None:
    token, _ = _signed_in(coins, database, "ann")
    coins.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=token)
    coins.call("PATCH", f"/api/crypto/favorites/{ETHEREUM}", token=token)
    coins.call("DELETE", f"/api/crypto/favorite/{ETHEREUM}", token=token)
    assert deliver_twice(coins.pipeline, "consumers-crypto-favorite-added-or-removed") == 3
    counts = database.execute(
        "SELECT uuid, favorites_count FROM crypto.coins WHERE uuid = ANY(%s)", ([BITCOIN, ETHEREUM],)
    )
    assert {row["uuid"]: row["favorites_count"] for row in counts} == {BITCOIN: 1, ETHEREUM: 0}


def test_update_coin_asks_coingecko_once(coins: Api, market: MarketStandIn, database: db.Connection) -> None:
    assert coins.call("GET", f"/api/crypto/get/{BITCOIN}").body["description"] is None
    assert not market.calls("coingecko")  # the reader did not wait for CoinGecko
    deliver_twice(coins.pipeline, "consumers-crypto-update-coin")
    assert len(market.calls("coingecko", "/coins/bitcoin")) == 1
    described = coins.call("GET", f"/api/crypto/get/{BITCOIN}").body
    assert described["symbolId"] == "bitcoin" and described["description"].startswith("Bitcoin is the first")


def test_close_account_coins_deletes_the_favourites(coins: Api, database: db.Connection) -> None:
    token, user_id = _signed_in(coins, database, "ann")
    other, _ = _signed_in(coins, database, "bob")
    for who in (token, other):
        coins.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=who)
    coins.pipeline.drain()
    with db.transaction():  # what the users context publishes when an account is closed
        publish(CloseAccountCoins.model_validate({"userId": user_id}), "users")
    deliver_twice(coins.pipeline, "consumers-crypto-close-account-coins")
    assert database.execute("SELECT count(*) FROM crypto.favorites").fetchone() == {"count": 1}
    assert database.execute("SELECT count(*) FROM crypto.favorite_lists WHERE user_id = %s", (user_id,)).fetchone() == {
        "count": 0
    }
    assert database.execute("SELECT favorites_count FROM crypto.coins WHERE uuid = %s", (BITCOIN,)).fetchone() == {
        "favorites_count": 1
    }
    gone = coins.call("GET", "/api/crypto/list-favorites/0/10/asc/rank?username=ann")
    assert (gone.status, gone.body["message"]) == (404, "user-not-found")
