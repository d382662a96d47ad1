"""The crypto routes over HTTP as API Gateway serves them (authorizer included), on the bundled snapshot's coins."""

from __future__ import annotations

from typing import Any

import pytest

from cryptotalks import db
from tests.crypto_support import BITCOIN, RECORDED_COINS, go_offline, run_sync_job
from tests.events_support import published
from tests.support import Api

ETHEREUM = "razxDUgYGNAdQ"
LIST_FIELDS = {
    "id", "uuid", "symbol", "name", "iconUrl", "volume24h", "marketCap", "price", "btcPrice", "change",
    "coinrankingUrl", "sparkline", "rank", "tier", "discussions24h",
}  # fmt: skip
ORDER_FIELDS = {
    "rank": "rank",
    "name": "name",
    "price": "price",
    "marketCap": "marketCap",
    "change": "change",
    "volume24h": "volume24h",
    "tier": "tier",
}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    go_offline(monkeypatch)


@pytest.fixture
def coins(offline: None, api: Api) -> Api:
    assert run_sync_job()["coins"] == 50
    api.pipeline.drain()
    return api


def _signed_in(api: Api, username: str) -> str:
    api.signed_up_and_confirmed(f"{username}@example.com", username)
    token: str = api.sign_in(f"{username}@example.com").body["_at"]
    return token


def _error(answer: Any) -> tuple[int, str]:
    return answer.status, answer.body["message"]


# GET /api/crypto/list


def test_list_answers_a_page_of_coins_and_the_count(coins: Api) -> None:
    answer = coins.call("GET", "/api/crypto/list/0/10/ASC/rank")
    assert answer.status == 200 and answer.body["count"] == 50
    rows = answer.body["rows"]
    assert [row["rank"] for row in rows] == list(range(1, 11))
    bitcoin = rows[0]
    assert set(bitcoin) == LIST_FIELDS
    recorded = RECORDED_COINS[0]
    assert bitcoin["uuid"] == BITCOIN and bitcoin["marketCap"] == recorded["marketCap"]
    assert bitcoin["volume24h"] == recorded["24hVolume"] and bitcoin["price"] == float(recorded["price"])
    assert bitcoin["sparkline"] == recorded["sparkline"] and bitcoin["change"] == -0.03
    second = coins.call("GET", "/api/crypto/list/1/10/asc/rank").body
    assert [row["rank"] for row in second["rows"]] == list(range(11, 21))
    beyond = coins.call("GET", "/api/crypto/list/5/10/asc/rank").body
    assert beyond == {"rows": [], "count": 50}


@pytest.mark.parametrize("order_by", [*ORDER_FIELDS, "createdAt", "likes", "discussions24h"])
@pytest.mark.parametrize("order", ["ASC", "desc"])
def test_list_orders_by_each_field_nulls_last(coins: Api, order_by: str, order: str) -> None:
    answer = coins.call("GET", f"/api/crypto/list/0/100/{order}/{order_by}")
    assert answer.status == 200 and len(answer.body["rows"]) == 50
    field = ORDER_FIELDS.get(order_by)
    if field is None:  # all coins came in one sync and nobody likes or discusses any yet: rank decides
        assert [row["rank"] for row in answer.body["rows"]] == list(range(1, 51))
        return
    values = [row[field] for row in answer.body["rows"]]
    present = [_sortable(value) for value in values if value is not None]
    assert present == sorted(present, reverse=order == "desc")
    assert values[len(present) :] == [None] * (len(values) - len(present))


@pytest.mark.parametrize("order_by", [*ORDER_FIELDS, "createdAt", "likes", "discussions24h"])
@pytest.mark.parametrize("order", ["asc", "DESC"])
def test_every_page_of_every_order_is_the_list_sorted_then_cut(
    coins: Api, database: db.Connection, order_by: str, order: str
) -> None:
    """Pages come from the orders the sync computed (from the live counts for likes and discussions): page after
    page, to the last one, they are the listed coins in the list's order, each once."""
    database.execute("UPDATE crypto.coins SET favorites_count = rank % 3")  # as the favourite consumers keep it,
    database.execute("SELECT crypto.place_likes()")  # then place the coins in the likes order
    _discussed(database, {coin["uuid"]: index % 4 for index, coin in enumerate(RECORDED_COINS[:20])})
    column = {
        "rank": "c.rank",
        "name": "lower(c.name)",
        "price": "c.price",
        "marketCap": "c.market_cap",
        "change": "c.change",
        "volume24h": "c.volume_24h",
        "tier": "c.tier",
        "createdAt": "c.created_at",
        "likes": "c.favorites_count",
        "discussions24h": "(SELECT count(*) FROM crypto.discussions d"
        " WHERE d.coin_uuid = c.uuid AND d.posted_at > now() - interval '24 hours')",
    }[order_by]
    expected = [
        row["uuid"]
        for row in database.execute(
            f"SELECT c.uuid FROM crypto.coins c WHERE c.listed ORDER BY {column} {order} NULLS LAST, c.rank, c.uuid"
        ).fetchall()
    ]
    pages = [coins.call("GET", f"/api/crypto/list/{page}/7/{order}/{order_by}").body for page in range(9)]
    assert {page["count"] for page in pages} == {50}
    assert [row["uuid"] for page in pages for row in page["rows"]] == expected


def _discussed(database: db.Connection, posts_per_coin: dict[str, int]) -> None:
    """Discussions as the coin_discussions consumer keeps and counts them: each coin in that many posts of the last
    day, and in as many posts two days old, which no longer count."""
    for coin_uuid, posts in posts_per_coin.items():
        for age in ["1 hour"] * posts + ["2 days"] * posts:
            row = database.execute(
                "INSERT INTO crypto.discussed_posts (post_id, posted_at, revision)"
                " VALUES (gen_random_uuid(), now() - %s::interval, 1) RETURNING post_id, posted_at",
                (age,),
            ).fetchone()
            assert row
            database.execute(
                "INSERT INTO crypto.discussions (post_id, coin_uuid, posted_at) VALUES (%s, %s, %s)",
                (row["post_id"], coin_uuid, row["posted_at"]),
            )
    database.execute("SELECT crypto.count_discussions()")


def test_the_list_counts_each_coins_discussions_of_the_last_day(coins: Api, database: db.Connection) -> None:
    _discussed(database, {ETHEREUM: 3, BITCOIN: 1})
    rows = coins.call("GET", "/api/crypto/list/0/3/desc/discussions24h").body["rows"]
    assert [(row["uuid"], row["discussions24h"]) for row in rows] == [
        (ETHEREUM, 3),
        (BITCOIN, 1),
        (RECORDED_COINS[2]["uuid"], 0),
    ]
    assert coins.call("GET", f"/api/crypto/get/{ETHEREUM}").body["discussions24h"] == 3
    last = coins.call("GET", "/api/crypto/list/0/2/asc/discussions24h").body["rows"]
    assert [row["uuid"] for row in last] == [RECORDED_COINS[2]["uuid"], RECORDED_COINS[3]["uuid"]]


def _sortable(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value.lower()
    return value


@pytest.mark.parametrize("query", ["bit", "BTC", "eth", "usd", "Tether", "coin", "%", "_", "a%"])
def test_search_matches_the_start_of_name_or_symbol_in_any_case(coins: Api, query: str) -> None:
    answer = coins.call("GET", f"/api/crypto/list/0/100/asc/rank?searchQuery={query.replace('%', '%25')}")
    expected = [
        coin["uuid"]
        for coin in RECORDED_COINS
        if coin["name"].lower().startswith(query.lower()) or coin["symbol"].lower().startswith(query.lower())
    ]
    assert [row["uuid"] for row in answer.body["rows"]] == expected
    assert answer.body["count"] == len(expected)


def test_search_results_are_paged_too(coins: Api) -> None:
    answer = coins.call("GET", "/api/crypto/list/1/1/asc/name?searchQuery=usd")
    # Pax Dollar (USDP), Tether USD (USDT), USDC, USDD
    assert answer.body["count"] == 4 and [row["symbol"] for row in answer.body["rows"]] == ["USDT"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/crypto/list/0/10/up/rank",
        "/api/crypto/list/0/10/asc/popularity",
        "/api/crypto/list/0/10/asc/RANK",
        "/api/crypto/list/0/0/asc/rank",
        "/api/crypto/list/0/101/asc/rank",
        "/api/crypto/list/0/ten/asc/rank",
        "/api/crypto/list/-1/10/asc/rank",
        "/api/crypto/list/x/10/asc/rank",
        "/api/crypto/list/1.5/10/asc/rank",
        "/api/crypto/list/99999999999/10/asc/rank",
        f"/api/crypto/list/0/10/asc/rank?searchQuery={'b' * 101}",
        "/api/crypto/list-favorites/0/101/asc/rank?username=ann",
        "/api/crypto/list-favorites/0/10/sideways/rank?username=ann",
        "/api/crypto/list-favorites/0/10/asc/uuid?username=ann",
        "/api/crypto/get/not%20an%20id",
        f"/api/crypto/get/{'x' * 65}",
    ],
)
def test_bad_parameters_are_validation_errors(coins: Api, path: str) -> None:
    assert _error(coins.call("GET", path)) == (400, "validation-error")


# GET /api/crypto/get/{uuid}


def test_a_coin_with_its_description_and_links(coins: Api) -> None:
    answer = coins.call("GET", f"/api/crypto/get/{BITCOIN}")
    assert answer.status == 200
    coin = answer.body
    assert set(coin) == LIST_FIELDS | {"symbolId", "description", "links", "createdAt", "updatedAt", "isFavorite"}
    assert coin["symbolId"] == "bitcoin" and coin["description"].startswith("Bitcoin is the first")
    assert {"type": "github", "url": "https://github.com/bitcoin/bitcoin"} in coin["links"]
    assert coin["isFavorite"] is None  # an anonymous reader


def test_an_unknown_coin_is_no_crypto(coins: Api) -> None:
    assert coins.call("GET", "/api/crypto/get/Unknown123").body == {
        "statusCode": 400,
        "message": "no-crypto",
        "error": "Cryptocurrency not found",
    }


def test_a_coin_without_description_is_answered_at_once_and_described_in_the_background(
    coins: Api, database: db.Connection
) -> None:
    twentieth = RECORDED_COINS[19]["uuid"]  # not among the ten the sync asked for
    before = len(published(database, "update_coin"))
    first = coins.call("GET", f"/api/crypto/get/{twentieth}")
    assert first.status == 200 and first.body["description"] is None
    assert published(database, "update_coin")[before:] == [{"coinId": twentieth}]
    coins.call("GET", f"/api/crypto/get/{twentieth}")  # asked for already: not again today
    assert len(published(database, "update_coin")) == before + 1
    coins.pipeline.drain()
    row = database.execute("SELECT coingecko_id FROM crypto.coins WHERE uuid = %s", (twentieth,)).fetchone()
    assert row == {"coingecko_id": "uniswap"}  # matched; the snapshot holds no description for it


def test_is_favorite_for_a_signed_in_reader(coins: Api) -> None:
    token = _signed_in(coins, "ann")
    assert coins.call("GET", f"/api/crypto/get/{BITCOIN}", token=token).body["isFavorite"] is False
    coins.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=token)
    assert coins.call("GET", f"/api/crypto/get/{BITCOIN}", token=token).body["isFavorite"] is True
    assert coins.call("GET", f"/api/crypto/get/{BITCOIN}", token="not-a-token").body["isFavorite"] is None


# GET /api/crypto/market-stats


def test_market_stats(offline: None, api: Api) -> None:
    empty = api.call("GET", "/api/crypto/market-stats")
    assert empty.status == 200 and set(empty.body.values()) == {None}
    run_sync_job()
    stats = api.call("GET", "/api/crypto/market-stats").body
    assert {k: v for k, v in stats.items() if k != "updatedAt"} == {
        "total": 581,
        "totalCoins": 29432,
        "totalMarkets": 35336,
        "totalExchanges": 161,
        "totalMarketCap": "1053021065373",
        "total24hVolume": "27901157055",
    }
    assert stats["updatedAt"]


# PATCH /api/crypto/favorites/{id}, DELETE /api/crypto/favorites/{id} and /api/crypto/favorite/{id}


def _favorites(api: Api, token: str) -> list[str]:
    return [
        row["uuid"] for row in api.call("GET", "/api/crypto/list-favorites/0/100/asc/rank", token=token).body["rows"]
    ]


def test_adding_a_favourite_twice_keeps_one(coins: Api, database: db.Connection) -> None:
    token = _signed_in(coins, "ann")
    for _ in range(2):
        answer = coins.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=token)
        assert (answer.status, answer.body) == (200, {"message": "success"})
    assert _favorites(coins, token) == [BITCOIN]  # at once, not after the event
    [event] = published(database, "add_crypto_to_favorite")
    assert event["cryptoId"] == BITCOIN
    coins.pipeline.drain()
    liked = database.execute("SELECT favorites_count FROM crypto.coins WHERE uuid = %s", (BITCOIN,)).fetchone()
    assert liked == {"favorites_count": 1}
    most_liked = coins.call("GET", "/api/crypto/list/0/2/desc/likes").body
    assert [row["uuid"] for row in most_liked["rows"]] == [BITCOIN, ETHEREUM]  # then by rank
    least_liked = coins.call("GET", "/api/crypto/list/0/1/asc/likes").body["rows"]
    assert least_liked[0]["uuid"] == ETHEREUM


@pytest.mark.parametrize("path", ["/api/crypto/favorites", "/api/crypto/favorite"])
def test_both_delete_paths_remove_a_favourite(coins: Api, database: db.Connection, path: str) -> None:
    token = _signed_in(coins, "ann")
    coins.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=token)
    coins.call("PATCH", f"/api/crypto/favorites/{ETHEREUM}", token=token)
    answer = coins.call("DELETE", f"{path}/{BITCOIN}", token=token)
    assert (answer.status, answer.body) == (200, {"message": "success"})
    assert _favorites(coins, token) == [ETHEREUM]
    again = coins.call("DELETE", f"{path}/{BITCOIN}", token=token)  # not a favourite any more: nothing to do
    assert again.status == 200
    assert [e["cryptoId"] for e in published(database, "remove_crypto_from_favorite")] == [BITCOIN]
    coins.pipeline.drain()
    counts = database.execute("SELECT uuid, favorites_count FROM crypto.coins WHERE favorites_count > 0").fetchall()
    assert counts == [{"uuid": ETHEREUM, "favorites_count": 1}]


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", "/api/crypto/favorites"), ("DELETE", "/api/crypto/favorites"), ("DELETE", "/api/crypto/favorite")],
)
def test_favourite_changes_need_a_signed_in_user_and_a_known_coin(coins: Api, method: str, path: str) -> None:
    assert _error(coins.call(method, f"{path}/{BITCOIN}")) == (401, "invalid-token")
    assert _error(coins.call(method, f"{path}/{BITCOIN}", token="garbage")) == (401, "invalid-token")
    token = _signed_in(coins, "ann")
    assert _error(coins.call(method, f"{path}/Unknown123", token=token)) == (400, "no-crypto")
    assert _error(coins.call(method, f"{path}/bad%20id", token=token)) == (400, "validation-error")


# GET /api/crypto/list-favorites


def test_favourites_are_public_by_username_and_your_own_without(coins: Api) -> None:
    ann = _signed_in(coins, "ann")
    bob = _signed_in(coins, "bob")
    for coin in (ETHEREUM, BITCOIN):
        coins.call("PATCH", f"/api/crypto/favorites/{coin}", token=ann)
    path = "/api/crypto/list-favorites/0/10/asc/rank"
    anonymous = coins.call("GET", f"{path}?username=ann").body
    assert anonymous["count"] == 2 and [row["uuid"] for row in anonymous["rows"]] == [BITCOIN, ETHEREUM]
    assert set(anonymous["rows"][0]) == LIST_FIELDS
    assert coins.call("GET", f"{path}?username=ann", token=bob).body == anonymous  # whose list: the username's
    assert coins.call("GET", path, token=bob).body == {"rows": [], "count": 0}
    assert coins.call("GET", path, token=ann).body == anonymous
    by_name = coins.call("GET", "/api/crypto/list-favorites/0/1/DESC/name?username=ann").body
    assert by_name["count"] == 2 and [row["name"] for row in by_name["rows"]] == ["Ethereum"]


def test_favourites_of_nobody(coins: Api) -> None:
    assert _error(coins.call("GET", "/api/crypto/list-favorites/0/10/asc/rank?username=nobody")) == (
        404,
        "user-not-found",
    )


def test_the_original_profile_page_asks_anonymously_without_a_username(coins: Api) -> None:
    """services/front's profile page asks before it knows whose page it is: an empty page, nobody's list."""
    ann = _signed_in(coins, "ann")
    coins.call("PATCH", f"/api/crypto/favorites/{BITCOIN}", token=ann)
    for path in ("/api/crypto/list-favorites/0/5/ASC/rank", "/api/crypto/list-favorites/0/5/ASC/rank?username="):
        answer = coins.call("GET", path)
        assert (answer.status, answer.body) == (200, {"rows": [], "count": 0})
        assert coins.call("GET", path, token="expired-or-garbage").body == {"rows": [], "count": 0}
    # An empty username, as the original tested it, is none: a signed-in reader gets their own.
    own = coins.call("GET", "/api/crypto/list-favorites/0/5/ASC/rank?username=", token=ann).body
    assert [row["uuid"] for row in own["rows"]] == [BITCOIN]


def test_a_favourite_dropped_from_the_ranking_stays_in_the_list(
    coins: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _signed_in(coins, "ann")
    last = RECORDED_COINS[-1]["uuid"]
    coins.call("PATCH", f"/api/crypto/favorites/{last}", token=ann)
    monkeypatch.setenv("COINRANKING_COIN_LIMIT", "10")
    run_sync_job(force=True)
    assert coins.call("GET", "/api/crypto/list/0/100/asc/rank").body["count"] == 10
    assert [
        row["uuid"] for row in coins.call("GET", "/api/crypto/list-favorites/0/10/asc/rank", token=ann).body["rows"]
    ] == [last]
    assert coins.call("GET", f"/api/crypto/get/{last}").status == 200


def test_likes_order_by_how_many_keep_a_coin(coins: Api) -> None:
    ann, bob = _signed_in(coins, "ann"), _signed_in(coins, "bob")
    coins.call("PATCH", f"/api/crypto/favorites/{ETHEREUM}", token=ann)
    coins.call("PATCH", f"/api/crypto/favorites/{ETHEREUM}", token=bob)
    coins.call("PATCH", f"/api/crypto/favorites/{RECORDED_COINS[9]['uuid']}", token=bob)
    coins.pipeline.drain()
    rows = coins.call("GET", "/api/crypto/list/0/3/desc/likes").body["rows"]
    assert [row["uuid"] for row in rows] == [ETHEREUM, RECORDED_COINS[9]["uuid"], BITCOIN]
