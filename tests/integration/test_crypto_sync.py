"""The hourly coin sync against the local stand-ins for Coinranking and CoinGecko (real HTTP clients, real
PostgreSQL, moto's EventBridge and SQS), and the descriptions it asks for through update_coin."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks.crypto import logic
from cryptotalks.crypto.events import UpdateCoin
from cryptotalks.crypto.market_data.coingecko import CoinsList, match
from cryptotalks.crypto.market_data.sources import recorded_snapshot
from tests.crypto_support import (
    BITCOIN,
    RECORDED_COINS,
    STAND_IN_KEY,
    MarketStandIn,
    go_offline,
    run_sync_job,
)
from tests.support import Pipeline

ETHEREUM = "razxDUgYGNAdQ"


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    go_offline(monkeypatch)


def _prices(database: db.Connection) -> dict[str, Decimal]:
    return {r["uuid"]: r["price"] for r in database.execute("SELECT uuid, price FROM crypto.coins").fetchall()}


def _syncs(database: db.Connection) -> list[dict[str, Any]]:
    return database.execute(
        "SELECT source, coins, outcome, error, duration_ms FROM crypto.coin_syncs ORDER BY id"
    ).fetchall()


def test_full_sync_stores_every_coin_and_the_market(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection
) -> None:
    answer = run_sync_job()
    assert answer["outcome"] == "success" and answer["source"] == "coinranking" and answer["coins"] == 50
    [call] = market.calls("coinranking")
    assert call["headers"]["x-access-token"] == STAND_IN_KEY  # as Coinranking documents it
    assert call["query"]["limit"] == "100" and call["query"]["offset"] == "0"
    bitcoin = database.execute("SELECT * FROM crypto.coins WHERE uuid = %s", (BITCOIN,)).fetchone()
    recorded = RECORDED_COINS[0]
    assert bitcoin is not None
    assert (bitcoin["symbol"], bitcoin["name"], bitcoin["rank"], bitcoin["tier"]) == ("BTC", "Bitcoin", 1, 1)
    assert bitcoin["price"] == Decimal(recorded["price"]) and bitcoin["market_cap"] == Decimal(recorded["marketCap"])
    assert bitcoin["volume_24h"] == Decimal(recorded["24hVolume"]) and bitcoin["sparkline"] == recorded["sparkline"]
    assert bitcoin["listed"] and bitcoin["description"] is None
    stats = database.execute("SELECT * FROM crypto.market_stats").fetchall()
    assert len(stats) == 1 and stats[0]["total_coins"] == 29432 and stats[0]["total_market_cap"] == 1053021065373
    [record] = _syncs(database)
    assert (record["source"], record["coins"], record["outcome"]) == ("coinranking", 50, "success")
    assert record["duration_ms"] >= 0


def test_a_second_sync_within_the_hour_is_skipped_unless_forced(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection
) -> None:
    run_sync_job()
    assert run_sync_job()["outcome"] == "skipped"
    assert len(market.calls("coinranking")) == 1
    market.price_factor = Decimal(2)
    assert run_sync_job(force=True)["outcome"] == "success"
    prices = _prices(database)
    assert prices[BITCOIN] == Decimal(RECORDED_COINS[0]["price"]) * 2
    assert database.execute("SELECT count(*) FROM crypto.coins").fetchone() == {"count": 50}
    assert [r["outcome"] for r in _syncs(database)] == ["success", "success"]


def test_an_hour_old_sync_is_refreshed(market: MarketStandIn, pipeline: Pipeline, database: db.Connection) -> None:
    run_sync_job()
    database.execute("UPDATE crypto.coin_syncs SET started_at = started_at - interval '56 minutes'")
    market.price_factor = Decimal(3)
    assert run_sync_job()["outcome"] == "success"
    assert _prices(database)[BITCOIN] == Decimal(RECORDED_COINS[0]["price"]) * 3


@pytest.mark.parametrize("failure", ["500", "garbage", "truncated", "partial", "slow", "429"])
def test_an_upstream_failing_every_attempt_leaves_the_data_intact(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection, failure: str
) -> None:
    run_sync_job()
    before = _prices(database)
    stats_before = database.execute("SELECT * FROM crypto.market_stats").fetchall()
    market.price_factor = Decimal(5)
    market.failures["coinranking"] = [failure] * 3
    answer = run_sync_job(force=True)
    assert answer["outcome"] == "failed" and "3 attempts" in answer["reason"]
    assert len(market.calls("coinranking")) == 1 + 3
    assert _prices(database) == before
    assert database.execute("SELECT * FROM crypto.market_stats").fetchall() == stats_before
    assert [(r["outcome"], r["coins"]) for r in _syncs(database)] == [("success", 50), ("failed", 0)]
    assert _syncs(database)[-1]["error"]


def test_a_passing_failure_is_retried(market: MarketStandIn, pipeline: Pipeline, database: db.Connection) -> None:
    market.failures["coinranking"] = ["500", "429"]
    answer = run_sync_job()
    assert answer["outcome"] == "success" and answer["coins"] == 50
    assert len(market.calls("coinranking")) == 3


def test_a_refused_key_is_not_retried(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COINRANKING_API_KEY", "wrong")
    answer = run_sync_job()
    assert answer["outcome"] == "failed" and "HTTP 401" in answer["reason"]
    assert len(market.calls("coinranking")) == 1
    assert database.execute("SELECT count(*) FROM crypto.coins").fetchone() == {"count": 0}


def test_pagination_to_5000_coins(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COINRANKING_COIN_LIMIT", "5000")
    market.coin_count = 6000
    answer = run_sync_job()
    assert answer["outcome"] == "success" and answer["coins"] == 5000
    offsets = [int(c["query"]["offset"]) for c in market.calls("coinranking")]
    assert offsets == list(range(0, 5000, 100))
    counted = database.execute("SELECT count(*), min(rank), max(rank) FROM crypto.coins WHERE listed").fetchone()
    assert counted == {"count": 5000, "min": 1, "max": 5000}


def test_a_sync_with_fewer_coins_unlists_the_others_but_keeps_them(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sync_job()
    monkeypatch.setenv("COINRANKING_COIN_LIMIT", "10")
    assert run_sync_job(force=True)["coins"] == 10
    listed = database.execute("SELECT listed, count(*) FROM crypto.coins GROUP BY listed ORDER BY listed").fetchall()
    assert listed == [{"listed": False, "count": 40}, {"listed": True, "count": 10}]


def test_the_sync_asks_for_descriptions_and_update_coin_fills_them(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COIN_DESCRIPTIONS_PER_SYNC", "3")
    assert run_sync_job()["descriptions_requested"] == 3
    assert not market.calls("coingecko")  # the sync itself never waits for CoinGecko
    pipeline.drain()
    described = database.execute(
        "SELECT uuid, coingecko_id, description, links FROM crypto.coins WHERE description_requested_at IS NOT NULL"
        " ORDER BY rank"
    ).fetchall()
    assert [row["coingecko_id"] for row in described] == ["bitcoin", "ethereum", "tether"]
    bitcoin = described[0]
    assert bitcoin["description"].startswith("Bitcoin is the first successful internet money")
    assert "<a href" not in bitcoin["description"]  # CoinGecko's markup is not passed on
    assert {"type": "whitepaper", "url": "https://bitcoin.org/bitcoin.pdf"} in bitcoin["links"]
    # Only bitcoin's detail is recorded: CoinGecko's 404 for the others leaves them without a description.
    assert [row["description"] is None for row in described] == [False, True, True]
    assert len(market.calls("coingecko", "/coins/list")) == 1  # the list is kept by the warm process
    # The next hour's sync asks for the next three, not again for these.
    database.execute("UPDATE crypto.coin_syncs SET started_at = started_at - interval '1 hour'")
    assert run_sync_job()["descriptions_requested"] == 3
    asked = database.execute("SELECT count(*) FROM crypto.coins WHERE description_requested_at IS NOT NULL").fetchone()
    assert asked == {"count": 6}


def test_descriptions_take_turns_at_coingecko(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sync_job()
    monkeypatch.setenv("COINGECKO_MIN_INTERVAL_SECONDS", "0.3")
    started = time.monotonic()
    for coin in (BITCOIN, ETHEREUM):
        logic.describe_coin(UpdateCoin(coinId=coin))
    calls = market.calls("coingecko")
    assert len(calls) >= 3  # a list (unless a warm process kept it) and two coins
    assert time.monotonic() - started >= 0.3 * (len(calls) - 1)


def test_coingecko_failing_leaves_the_coin_to_a_later_try(
    market: MarketStandIn, pipeline: Pipeline, database: db.Connection
) -> None:
    run_sync_job()
    market.failures["coingecko"] = ["500"] * 3
    with pytest.raises(Exception, match="3 attempts"):
        logic.describe_coin(UpdateCoin(coinId=BITCOIN))
    assert database.execute("SELECT description FROM crypto.coins WHERE uuid = %s", (BITCOIN,)).fetchone() == {
        "description": None
    }
    logic.describe_coin(UpdateCoin(coinId=BITCOIN))
    row = database.execute("SELECT description FROM crypto.coins WHERE uuid = %s", (BITCOIN,)).fetchone()
    assert row and row["description"]


def test_offline_the_bundled_snapshot_is_the_market(offline: None, pipeline: Pipeline, database: db.Connection) -> None:
    answer = run_sync_job()
    assert (answer["outcome"], answer["source"], answer["coins"]) == ("success", "snapshot", 50)
    pipeline.drain()
    bitcoin = database.execute("SELECT price, description FROM crypto.coins WHERE uuid = %s", (BITCOIN,)).fetchone()
    assert bitcoin and bitcoin["price"] == Decimal("25839.257181797795")
    assert bitcoin["description"].startswith("Bitcoin is the first successful internet money")


def test_coins_are_matched_to_coingecko_by_symbol_and_name() -> None:
    listed = CoinsList.model_validate(recorded_snapshot()["coingecko"]["/coins/list"]).root
    matched = {coin["symbol"]: match(listed, coin["symbol"], coin["name"]) for coin in RECORDED_COINS}
    assert matched["BTC"] == "bitcoin" and matched["USDC"] == "usd-coin"  # 47 coins are USDC
    assert matched["USDT"] == "tether"  # "Tether USD" is "Tether"
    assert matched["ATOM"] == "cosmos"  # "Cosmos" is "Cosmos Hub"
    assert matched["ICP"] == "internet-computer"  # "Internet Computer (DFINITY)"
    assert matched["LDO"] == "lido-dao"  # not "Lido DAO (Wormhole)"
    assert matched["WETH"] is None  # "Wrapped Ether" is not "Wrapped Ether (Mantle Bridge)"
    assert matched["ENS"] is None  # EnergySwap is not the Ethereum Name Service
    assert sum(found is not None for found in matched.values()) == 45
