"""Coins tied to their discussions: the catalogue crypto publishes, the mentions posts resolves, the discussions
crypto counts, over HTTP as the gateway serves them and through the real consumers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cryptotalks import db, migrations
from cryptotalks.crypto import logic as crypto
from cryptotalks.crypto.events import CatalogueCoin, CoinCatalogue
from cryptotalks.posts import logic as posts
from cryptotalks.posts.events import CoinMentionsChanged, DeletePost
from tests.crypto_support import BITCOIN, RECORDED_COINS, MarketStandIn, go_offline, run_sync_job
from tests.events_support import published
from tests.posts_support import created, moderator_token, read, signed_in
from tests.support import Api

ETHEREUM = "razxDUgYGNAdQ"
TETHER = next(coin["uuid"] for coin in RECORDED_COINS if coin["symbol"] == "USDT")


@pytest.fixture
def coins(monkeypatch: pytest.MonkeyPatch, api: Api) -> Api:
    """The bundled snapshot's 50 coins synced, and their catalogue delivered to posts."""
    go_offline(monkeypatch)
    assert run_sync_job()["coins"] == 50
    api.pipeline.drain()
    return api


def _mentioned(api: Api, slug: str) -> list[str]:
    return [coin["symbol"] for coin in read(api, slug).body["coins"]]


def _discussions(api: Api, coin: str, path: str = "0/10") -> dict[str, Any]:
    answer = api.call("GET", f"/api/posts/coin/{coin}/{path}")
    assert answer.status == 200, answer.body
    return dict(answer.body)


def _counted(api: Api, coin: str) -> int:
    return int(api.call("GET", f"/api/crypto/get/{coin}").body["discussions24h"])


def test_the_first_sync_gives_posts_every_listed_coin(coins: Api, database: db.Connection) -> None:
    [catalogue] = published(database, "coin_catalogue")
    assert (catalogue["part"], catalogue["parts"], len(catalogue["coins"])) == (1, 1, 50)
    assert catalogue["coins"][0] == {"uuid": BITCOIN, "symbol": "BTC", "name": "Bitcoin", "rank": 1}
    kept = database.execute("SELECT uuid, symbol, name, slug, rank FROM posts.coins WHERE rank <= 2 ORDER BY rank")
    assert kept.fetchall() == [
        {"uuid": BITCOIN, "symbol": "BTC", "name": "Bitcoin", "slug": "bitcoin", "rank": 1},
        {"uuid": ETHEREUM, "symbol": "ETH", "name": "Ethereum", "slug": "ethereum", "rank": 2},
    ]


def test_cashtags_and_coin_tags_resolve_and_unknown_ones_are_ignored(coins: Api, database: db.Connection) -> None:
    token = signed_in(coins, "ann")
    post = created(
        coins,
        token,
        title="$eth or $BTC?",
        content=["I hold $BTC, $NOPE and $100 of $ETH.", "Not a cashtag: US$BTC, $$BTC"],
        searchTags=["Tether-USD", "hodl"],
    )
    assert _mentioned(coins, post["slug"]) == ["ETH", "BTC", "USDT"]
    assert read(coins, post["slug"]).body["coins"][0] == {"uuid": ETHEREUM, "symbol": "ETH", "name": "Ethereum"}
    [event] = published(database, "coin_mentions_changed")
    assert (event["postId"], event["revision"], event["coinIds"]) == (post["id"], 1, [ETHEREUM, BITCOIN, TETHER])
    coins.pipeline.drain()
    assert [row["id"] for row in _discussions(coins, BITCOIN)["rows"]] == [post["id"]]
    assert {coin: _counted(coins, coin) for coin in (BITCOIN, ETHEREUM, TETHER)} == {
        BITCOIN: 1,
        ETHEREUM: 1,
        TETHER: 1,
    }


def test_a_post_without_coins_publishes_no_mentions(coins: Api, database: db.Connection) -> None:
    post = created(coins, signed_in(coins, "ann"), title="Gardening", content=["$NOPE"], searchTags=["roses"])
    assert read(coins, post["slug"]).body["coins"] == []
    assert published(database, "coin_mentions_changed") == []


def test_editing_a_post_updates_its_mentions(coins: Api, database: db.Connection) -> None:
    token = signed_in(coins, "ann")
    post = created(coins, token, title="Why I hold $BTC", content=["Cold storage."], searchTags=["hodl"])
    coins.pipeline.drain()
    assert _discussions(coins, BITCOIN)["count"] == 1
    edited = coins.call("PATCH", f"/api/posts/update/{post['id']}", {"title": "Why I hold $ETH"}, token=token)
    assert edited.status == 200, edited.body
    assert _mentioned(coins, edited.body["slug"]) == ["ETH"]
    coins.pipeline.drain()
    assert _discussions(coins, BITCOIN) == {"rows": [], "count": 0}
    assert [row["id"] for row in _discussions(coins, ETHEREUM)["rows"]] == [post["id"]]
    assert (_counted(coins, BITCOIN), _counted(coins, ETHEREUM)) == (0, 1)
    # An edit that names the same coins tells crypto nothing new.
    coins.call("PATCH", f"/api/posts/update/{post['id']}", {"content": ["Still $eth."]}, token=token)
    assert [event["revision"] for event in published(database, "coin_mentions_changed")] == [1, 2]
    coins.call("PATCH", f"/api/posts/update/{post['id']}", {"title": "Why I hold", "content": ["x"]}, token=token)
    coins.pipeline.drain()
    assert _mentioned(coins, "why-i-hold") == [] and _counted(coins, ETHEREUM) == 0


def test_a_deleted_post_leaves_its_coins(coins: Api, database: db.Connection) -> None:
    token = signed_in(coins, "ann")
    post = created(coins, token, title="$BTC", content=["$BTC"], searchTags=[])
    coins.pipeline.drain()
    assert _counted(coins, BITCOIN) == 1
    assert coins.call("DELETE", f"/api/posts/delete/{post['id']}", token=token).status == 200
    coins.pipeline.drain()
    assert _counted(coins, BITCOIN) == 0 and _discussions(coins, BITCOIN)["count"] == 0


def test_a_hidden_post_leaves_its_coins_page_and_counts_until_restored(coins: Api) -> None:
    author, reader = signed_in(coins, "ann"), signed_in(coins, "bob")
    post = created(coins, author, title="$BTC giveaway", content=["."], searchTags=[])
    coins.pipeline.drain()
    moderator = moderator_token(coins, "moe")
    decide = {"itemType": "post", "itemId": post["id"], "note": None}
    assert coins.call("POST", "/api/moderation/decide", {**decide, "decision": "hide"}, token=moderator).status == 201
    coins.pipeline.drain()
    assert _counted(coins, BITCOIN) == 0
    assert _discussions(coins, BITCOIN)["count"] == 0  # for anyone else
    assert coins.call("GET", f"/api/posts/coin/{BITCOIN}/0/10", token=reader).body["count"] == 0
    assert coins.call("GET", f"/api/posts/coin/{BITCOIN}/0/10", token=author).body["count"] == 1  # marked, theirs
    [seen] = coins.call("GET", f"/api/posts/coin/{BITCOIN}/0/10", token=moderator).body["rows"]  # and moderators'
    assert seen["moderation"]["state"] == "hidden"
    assert (
        coins.call("POST", "/api/moderation/decide", {**decide, "decision": "restore"}, token=moderator).status == 201
    )
    coins.pipeline.drain()
    assert _counted(coins, BITCOIN) == 1 and _discussions(coins, BITCOIN)["count"] == 1


def test_an_edit_that_holds_a_post_takes_it_off_its_coins_until_approved(coins: Api, database: db.Connection) -> None:
    """A new account's post is held when an edit adds links: crypto is told it mentions no coin, although the edit
    left its coins as they were."""
    newcomer, moderator = signed_in(coins, "nia"), moderator_token(coins, "moe")
    post = created(coins, newcomer, title="$BTC thoughts", content=["."], searchTags=[])
    coins.pipeline.drain()
    assert _counted(coins, BITCOIN) == 1
    edit = {"content": ["More at https://btc-giveaway.example.xyz"]}
    edited = coins.call("PATCH", f"/api/posts/update/{post['id']}", edit, token=newcomer)
    assert edited.body["moderation"]["state"] == "held"
    coins.pipeline.drain()
    assert _counted(coins, BITCOIN) == 0 and _discussions(coins, BITCOIN)["count"] == 0
    assert published(database, "coin_mentions_changed")[-1]["coinIds"] == []
    approve = {"itemType": "post", "itemId": post["id"], "decision": "restore"}
    assert coins.call("POST", "/api/moderation/decide", approve, token=moderator).body["state"] == "public"
    coins.pipeline.drain()
    assert _counted(coins, BITCOIN) == 1 and _discussions(coins, BITCOIN)["count"] == 1


def test_the_coin_page_lists_the_newest_discussions_first_page_by_page(coins: Api) -> None:
    token = signed_in(coins, "ann")
    ids = [created(coins, token, title=f"$BTC take {n}", content=["."], searchTags=[])["id"] for n in range(3)]
    created(coins, token, title="Only $ETH", content=["."], searchTags=[])
    first, second = _discussions(coins, BITCOIN, "0/2"), _discussions(coins, BITCOIN, "1/2")
    assert [row["id"] for row in first["rows"] + second["rows"]] == ids[::-1]
    assert first["count"] == second["count"] == 3
    assert _discussions(coins, "Unknown-Coin") == {"rows": [], "count": 0}
    assert coins.call("GET", "/api/posts/coin/no%20such/0/10").status == 400


def test_the_coins_list_counts_and_orders_by_the_last_days_discussions(coins: Api) -> None:
    token = signed_in(coins, "ann")
    for title in ("$ETH", "$ETH and $BTC", "$ETH again", "bitcoin?"):
        created(coins, token, title=title, content=["."], searchTags=[])
    created(coins, token, title="tagged", content=["."], searchTags=["bitcoin"])
    coins.pipeline.drain()
    rows = coins.call("GET", "/api/crypto/list/0/3/DESC/discussions24h").body
    assert rows["count"] == 50
    assert [(row["symbol"], row["discussions24h"]) for row in rows["rows"]] == [("ETH", 3), ("BTC", 2), ("USDT", 0)]
    ranked = coins.call("GET", "/api/crypto/list/0/2/ASC/rank").body["rows"]
    assert [row["discussions24h"] for row in ranked] == [2, 3]


def test_a_symbol_several_coins_share_is_the_best_ranked_ones(coins: Api, database: db.Connection) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)
    shared = [CatalogueCoin(uuid=f"dup-{rank}", symbol="DUP", name=f"Dup {rank}", rank=rank) for rank in (40, 7, 90)]
    posts.record_coins(CoinCatalogue(syncedAt=later, part=1, parts=1, coins=shared))
    post = created(coins, signed_in(coins, "ann"), title="$dup", content=["."], searchTags=["dup 90"])
    assert [coin["uuid"] for coin in read(coins, post["slug"]).body["coins"]] == ["dup-7", "dup-90"]


def test_a_tag_that_is_a_coins_symbol_mentions_it(coins: Api) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)
    shared = [CatalogueCoin(uuid=f"dup-{rank}", symbol="DUP", name=f"Dup {rank}", rank=rank) for rank in (40, 7)]
    posts.record_coins(CoinCatalogue(syncedAt=later, part=1, parts=1, coins=shared))
    post = created(coins, signed_in(coins, "ann"), title="$eth", content=["."], searchTags=["BTC", "sol", "dup", "x"])
    assert _mentioned(coins, post["slug"]) == ["ETH", "BTC", "SOL", "DUP"]
    assert read(coins, post["slug"]).body["coins"][3]["uuid"] == "dup-7"


def _catalogue(*coins: CatalogueCoin) -> CoinCatalogue:
    """A later sync's catalogue (posts keeps each coin from the newest sync it has seen)."""
    return CoinCatalogue(syncedAt=datetime.now(UTC) + timedelta(hours=1), part=1, parts=1, coins=list(coins))


def _candidates(database: db.Connection, post_id: str) -> list[str]:
    rows = database.execute(
        "SELECT named FROM posts.coin_candidates WHERE post_id = %s ORDER BY place", (post_id,)
    ).fetchall()
    return [row["named"] for row in rows]


def test_a_coin_synced_after_the_post_is_mentioned_once_it_is(coins: Api, database: db.Connection) -> None:
    post = created(
        coins,
        signed_in(coins, "ann"),
        title="$BTC now, $NEWC soon",
        content=["Not `$CODED`, it is code."],
        searchTags=["new coin", "hodl"],
    )
    assert _mentioned(coins, post["slug"]) == ["BTC"]
    assert _candidates(database, post["id"]) == ["$NEWC", "new coin", "hodl"]
    newc = CatalogueCoin(uuid="newc", symbol="NEWC", name="New Coin", rank=51)
    coded = CatalogueCoin(uuid="coded", symbol="CODED", name="Coded", rank=52)
    posts.record_coins(_catalogue(newc, coded))
    assert _mentioned(coins, post["slug"]) == ["BTC", "NEWC"]  # after the coins it mentioned already
    assert [(e["revision"], e["coinIds"]) for e in published(database, "coin_mentions_changed")] == [
        (1, [BITCOIN]),
        (2, [BITCOIN, "newc"]),
    ]
    assert _candidates(database, post["id"]) == ["hodl"]
    coins.pipeline.drain()
    assert [row["id"] for row in _discussions(coins, "newc")["rows"]] == [post["id"]]
    assert _discussions(coins, "coded")["count"] == 0
    # The next sync brings the same coins: nothing changes, nothing is told.
    posts.record_coins(_catalogue(newc, coded))
    assert len(published(database, "coin_mentions_changed")) == 2


def test_a_hidden_post_tells_crypto_no_coin_synced_after_it(coins: Api, database: db.Connection) -> None:
    author = signed_in(coins, "ann")
    post = created(coins, author, title="$LATE giveaway", content=["."], searchTags=[])
    moderator = moderator_token(coins, "moe")
    decide = {"itemType": "post", "itemId": post["id"], "note": None, "decision": "hide"}
    assert coins.call("POST", "/api/moderation/decide", decide, token=moderator).status == 201
    posts.record_coins(_catalogue(CatalogueCoin(uuid="late", symbol="LATE", name="Late", rank=60)))
    [event] = published(database, "coin_mentions_changed")
    assert (event["postId"], event["revision"], event["coinIds"]) == (post["id"], 1, [])
    assert [coin["uuid"] for coin in read(coins, post["slug"], token=author).body["coins"]] == ["late"]
    restore = {**decide, "decision": "restore"}
    assert coins.call("POST", "/api/moderation/decide", restore, token=moderator).status == 201
    assert published(database, "coin_mentions_changed")[-1]["coinIds"] == ["late"]


def test_a_catalogue_part_gives_its_coins_to_the_newest_posts_first(
    coins: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = signed_in(coins, "ann")
    older, newer = (created(coins, token, title=f"$NEWC take {n}", content=["."], searchTags=[]) for n in range(2))
    monkeypatch.setattr(posts, "MAX_LATE_MENTIONS_PER_PART", 1)
    newc = CatalogueCoin(uuid="newc", symbol="NEWC", name="New Coin", rank=51)
    posts.record_coins(_catalogue(newc))
    assert (_mentioned(coins, older["slug"]), _mentioned(coins, newer["slug"])) == ([], ["NEWC"])
    posts.record_coins(_catalogue(newc))  # the next sync: the next post
    assert _mentioned(coins, older["slug"]) == ["NEWC"]


def test_posts_written_before_the_first_catalogue_mention_its_coins(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = created(api, signed_in(api, "ann"), title="$BTC or $eth", content=["."], searchTags=["solana"])
    assert _mentioned(api, post["slug"]) == []
    go_offline(monkeypatch)
    run_sync_job()
    api.pipeline.drain()
    assert _mentioned(api, post["slug"]) == ["BTC", "ETH", "SOL"]
    assert [row["id"] for row in _discussions(api, BITCOIN)["rows"]] == [post["id"]]
    assert _counted(api, BITCOIN) == 1


def test_the_migration_gives_the_posts_before_it_their_names(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 007 reads the names of the posts already written from their text, as posts/mentions.py does."""
    token = signed_in(api, "ann")
    early = created(
        api,
        token,
        title="$BTC or `$DOGE`?",
        preview="$btc, ``$ADA``",
        content=["```\n$ETH", "", "$ETH\n```", "$NOPE and $SOL; $100", "~~~", "$XRP"],
        searchTags=["Tether-USD", "hodl"],
    )
    written = _candidates(database, early["id"])
    assert written == ["$BTC", "$NOPE", "$SOL", "tether-usd", "hodl"]

    def migrate_again() -> None:
        migration = next(m for m in migrations.available() if m.context == "posts" and m.version.startswith("007"))
        with database.transaction():
            database.execute("DROP TABLE posts.coin_candidates; DROP FUNCTION posts.named_coin(text)")
            database.execute(migration.path.read_text())

    migrate_again()
    assert _candidates(database, early["id"]) == written
    go_offline(monkeypatch)
    run_sync_job()
    api.pipeline.drain()
    assert _mentioned(api, early["slug"]) == ["BTC", "SOL", "USDT"]
    later = created(api, token, title="$ETH", content=["$NOPE"], searchTags=["ethereum", "defi"])
    migrate_again()  # the names of coins a post mentions already are not kept
    assert _candidates(database, early["id"]) == ["$NOPE", "hodl"]
    assert _candidates(database, later["id"]) == ["$NOPE", "defi"]


def test_an_older_syncs_late_part_changes_no_coin(coins: Api, database: db.Connection) -> None:
    now = datetime.now(UTC)
    renamed = CatalogueCoin(uuid=BITCOIN, symbol="XBT", name="Bitcoin", rank=1)
    posts.record_coins(CoinCatalogue(syncedAt=now + timedelta(hours=2), part=1, parts=1, coins=[renamed]))
    stale = CatalogueCoin(uuid=BITCOIN, symbol="OLD", name="Bitcoin", rank=1)
    posts.record_coins(CoinCatalogue(syncedAt=now + timedelta(hours=1), part=1, parts=1, coins=[stale]))
    row = database.execute("SELECT symbol FROM posts.coins WHERE uuid = %s", (BITCOIN,)).fetchone()
    assert row == {"symbol": "XBT"}


def test_crypto_keeps_the_newest_mentions_whatever_order_they_arrive_in(coins: Api, database: db.Connection) -> None:
    post_id, posted_at = uuid.uuid4(), datetime.now(UTC)
    newest = CoinMentionsChanged(postId=post_id, postedAt=posted_at, revision=2, coinIds=[ETHEREUM])
    older = CoinMentionsChanged(postId=post_id, postedAt=posted_at, revision=1, coinIds=[BITCOIN, "not-a-coin"])
    crypto.record_discussion(newest)
    crypto.record_discussion(older)
    assert (_counted(coins, ETHEREUM), _counted(coins, BITCOIN)) == (1, 0)
    crypto.record_discussion(DeletePost(postId=post_id, userId=uuid.uuid4()))
    crypto.record_discussion(CoinMentionsChanged(postId=post_id, postedAt=posted_at, revision=3, coinIds=[BITCOIN]))
    assert (_counted(coins, ETHEREUM), _counted(coins, BITCOIN)) == (0, 0)
    # A deletion heard of before any mention, then the mention: the post stays gone.
    late = uuid.uuid4()
    crypto.record_discussion(DeletePost(postId=late, userId=uuid.uuid4()))
    crypto.record_discussion(CoinMentionsChanged(postId=late, postedAt=posted_at, revision=1, coinIds=[BITCOIN]))
    assert _counted(coins, BITCOIN) == 0


def test_a_post_counts_for_24_hours_after_it_was_written(coins: Api, database: db.Connection) -> None:
    day_old = datetime.now(UTC) - timedelta(hours=24, minutes=1)
    crypto.record_discussion(CoinMentionsChanged(postId=uuid.uuid4(), postedAt=day_old, revision=1, coinIds=[BITCOIN]))
    crypto.record_discussion(
        CoinMentionsChanged(postId=uuid.uuid4(), postedAt=day_old + timedelta(minutes=2), revision=1, coinIds=[BITCOIN])
    )
    assert _counted(coins, BITCOIN) == 1


def test_posts_leave_the_counts_when_they_are_a_day_old_even_if_nobody_writes(
    coins: Api, database: db.Connection
) -> None:
    crypto.record_discussion(
        CoinMentionsChanged(postId=uuid.uuid4(), postedAt=datetime.now(UTC), revision=1, coinIds=[ETHEREUM])
    )
    assert coins.call("GET", "/api/crypto/list/0/1/DESC/discussions24h").body["rows"][0]["uuid"] == ETHEREUM
    # A day later (the post written a day ago, the last count four minutes old): the count stands for now...
    database.execute("UPDATE crypto.discussions SET posted_at = now() - interval '25 hours'")
    database.execute("UPDATE crypto.discussion_orders SET counted_at = now() - interval '4 minutes'")
    assert _counted(coins, ETHEREUM) == 1
    # ...and a read that finds it five minutes old counts again.
    database.execute("UPDATE crypto.discussion_orders SET counted_at = now() - interval '6 minutes'")
    rows = coins.call("GET", "/api/crypto/list/0/1/DESC/discussions24h").body["rows"]
    assert [(row["uuid"], row["discussions24h"]) for row in rows] == [(BITCOIN, 0)]


def test_5000_coins_go_in_parts_that_fit_eventbridge(
    market: MarketStandIn, api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COINRANKING_COIN_LIMIT", "5000")
    monkeypatch.setenv("COIN_DESCRIPTIONS_PER_SYNC", "0")
    market.coin_count = 5000
    market.coins()  # made before the sync asks: on a busy machine making them outlasts the client's timeout
    assert run_sync_job()["coins"] == 5000
    parts = published(database, "coin_catalogue")
    assert len(parts) > 1 and {part["parts"] for part in parts} == {len(parts)}
    assert sorted(part["part"] for part in parts) == list(range(1, len(parts) + 1))
    assert max(len(json.dumps(part["coins"], separators=(",", ":"))) for part in parts) <= crypto.CATALOGUE_PART_BYTES
    api.pipeline.drain()
    assert database.execute("SELECT count(*) FROM posts.coins").fetchone() == {"count": 5000}
    unsent = database.execute("SELECT count(*) FROM messaging.outbox WHERE sent_at IS NULL").fetchone()
    assert unsent == {"count": 0}
