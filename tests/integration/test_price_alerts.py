"""Price alerts: the API, and their set-based evaluation after each coin sync (once per crossing, once per sync)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks.crypto import logic
from cryptotalks.crypto.events import CoinPricesSynced
from cryptotalks.users.events import CloseAccountCoins
from tests.crypto_support import BITCOIN, RECORDED_COINS, MarketStandIn, run_sync_job
from tests.posts_support import signed_in
from tests.support import Api

ETHEREUM = "razxDUgYGNAdQ"
BITCOIN_PRICE = Decimal(next(c["price"] for c in RECORDED_COINS if c["uuid"] == BITCOIN))


@pytest.fixture
def coins(market: MarketStandIn, api: Api, monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setenv("COIN_DESCRIPTIONS_PER_SYNC", "0")
    assert run_sync_job()["coins"] == 50
    api.pipeline.drain()
    return api


def _alert(api: Api, token: str, coin: str, condition: str, threshold: float) -> Any:
    return api.call("POST", "/api/crypto/alerts", {"uuid": coin, "condition": condition, "threshold": threshold}, token)


def _fired(database: db.Connection) -> list[dict[str, Any]]:
    """The alerts fired, in the order of the events that told them."""
    rows = database.execute(
        "SELECT envelope FROM messaging.outbox WHERE type = 'price_alerts_fired' ORDER BY created_at"
    ).fetchall()
    return [alert for row in rows for alert in row["envelope"]["payload"]["alerts"]]


def _sync(api: Api, market: MarketStandIn, factor: str) -> None:
    market.price_factor = Decimal(factor)
    assert run_sync_job(force=True)["outcome"] == "success"
    api.pipeline.drain()


def test_alerts_are_created_listed_and_deleted(coins: Api) -> None:
    token = signed_in(coins, "ann")
    created = _alert(coins, token, BITCOIN, "above", 1_000_000)
    assert created.status == 201, created.body
    listed = coins.call("GET", "/api/crypto/alerts", token=token).body
    assert listed["count"] == 1 and listed["limit"] == 50
    assert listed["rows"][0] | {"price": None} == listed["rows"][0] | {
        "id": created.body["id"],
        "uuid": BITCOIN,
        "symbol": "BTC",
        "condition": "above",
        "threshold": 1_000_000,
        "armed": True,
        "lastFiredAt": None,
        "price": None,
    }
    other = signed_in(coins, "bob")
    assert coins.call("DELETE", f"/api/crypto/alerts/{created.body['id']}", token=other).body["message"] == (
        "alert-not-found"
    )
    assert coins.call("DELETE", f"/api/crypto/alerts/{created.body['id']}", token=token).status == 200
    assert coins.call("GET", "/api/crypto/alerts", token=token).body["count"] == 0


def test_alerts_are_validated(coins: Api) -> None:
    token = signed_in(coins, "ann")
    assert _alert(coins, token, "NoSuchCoin", "above", 1).body["message"] == "no-crypto"
    assert _alert(coins, token, BITCOIN, "sideways", 1).body["message"] == "validation-error"
    assert _alert(coins, token, BITCOIN, "below", 0).body["message"] == "validation-error"
    assert _alert(coins, token, BITCOIN, "change", 5000).body["message"] == "wrong-threshold"
    for threshold in range(1, 51):
        assert _alert(coins, token, BITCOIN, "above", threshold).status == 201
    refused = _alert(coins, token, BITCOIN, "above", 51)
    assert (refused.status, refused.body["message"]) == (400, "too-many-alerts")


def test_an_alert_fires_once_per_crossing(coins: Api, market: MarketStandIn, database: db.Connection) -> None:
    token = signed_in(coins, "ann")
    crossing = _alert(coins, token, BITCOIN, "above", float(BITCOIN_PRICE * Decimal("1.05"))).body["id"]
    _alert(coins, token, ETHEREUM, "below", 0.0001)  # never crosses
    _sync(coins, market, "1.1")
    assert [(f["alertId"], f["coinId"], f["condition"]) for f in _fired(database)] == [(crossing, BITCOIN, "above")]
    _sync(coins, market, "1.1")  # the same prices: nothing new
    assert len(_fired(database)) == 1
    _sync(coins, market, "1")  # below again: re-armed
    listed = coins.call("GET", "/api/crypto/alerts", token=token).body["rows"]
    assert {r["id"]: r["armed"] for r in listed}[crossing] is True
    _sync(coins, market, "1.2")  # crosses again
    assert [f["alertId"] for f in _fired(database)] == [crossing, crossing]


def test_an_alert_set_while_its_condition_holds_waits_for_a_crossing(
    coins: Api, market: MarketStandIn, database: db.Connection
) -> None:
    """Set when the latest synced price (or change) meets it already, an alert is disarmed: the next sync at those
    prices fires nothing; it fires once a sync found the condition false and a later one true."""
    token = signed_in(coins, "ann")
    change = database.execute("SELECT abs(change)::float8 AS c FROM crypto.coins WHERE uuid = %s", (ETHEREUM,))
    met = [
        _alert(coins, token, BITCOIN, "above", float(BITCOIN_PRICE / 2)),
        _alert(coins, token, BITCOIN, "below", float(BITCOIN_PRICE * 2)),
        _alert(coins, token, ETHEREUM, "change", change.fetchone()["c"] / 2),
    ]
    unmet = _alert(coins, token, BITCOIN, "above", float(BITCOIN_PRICE * 2))
    assert [(a.status, a.body["armed"]) for a in met] == [(201, False)] * 3
    assert (unmet.status, unmet.body["armed"]) == (201, True)
    listed = coins.call("GET", "/api/crypto/alerts", token=token).body["rows"]
    assert {r["id"]: r["armed"] for r in listed} == {a.body["id"]: a.body["armed"] for a in [*met, unmet]}
    _sync(coins, market, "1")  # the same prices
    assert _fired(database) == []
    _sync(coins, market, "0.4")  # Bitcoin below half its price: the `above` alert is false, and re-arms
    assert _fired(database) == []
    _sync(coins, market, "1")  # above again: a crossing
    assert [(f["alertId"], f["condition"]) for f in _fired(database)] == [(met[0].body["id"], "above")]
    _sync(coins, market, "1")
    assert len(_fired(database)) == 1


def test_alerts_on_unlisted_coins_are_refused(coins: Api, market: MarketStandIn) -> None:
    """A coin that left the ranking stays in the table (favourites, old posts) but no sync evaluates its alerts."""
    token = signed_in(coins, "ann")
    last = RECORDED_COINS[-1]["uuid"]
    market.coin_count = len(RECORDED_COINS) - 1
    _sync(coins, market, "1")
    refused = _alert(coins, token, last, "above", 1)
    assert (refused.status, refused.body["message"]) == (400, "no-crypto")
    assert coins.call("GET", f"/api/crypto/get/{last}").status == 200  # the coin itself is still known
    assert _alert(coins, token, BITCOIN, "above", 1).status == 201


def test_change_and_below_conditions(coins: Api, market: MarketStandIn, database: db.Connection) -> None:
    token = signed_in(coins, "ann")
    below = _alert(coins, token, BITCOIN, "below", float(BITCOIN_PRICE * Decimal("0.9"))).body["id"]
    # The stand-in moves prices, not changes: a calm day for Ethereum as the last sync stored it, then the
    # recorded change again at the next sync.
    change = database.execute(
        "UPDATE crypto.coins c SET change = 0 FROM crypto.coins old WHERE c.uuid = %s AND old.uuid = c.uuid"
        " RETURNING abs(old.change)::float8 AS c",
        (ETHEREUM,),
    )
    moved = _alert(coins, token, ETHEREUM, "change", change.fetchone()["c"] / 2).body["id"]
    _alert(coins, token, ETHEREUM, "change", 999)
    _sync(coins, market, "0.8")
    assert sorted(f["alertId"] for f in _fired(database)) == sorted([below, moved])


def test_a_sync_is_evaluated_once(coins: Api, market: MarketStandIn, database: db.Connection) -> None:
    """Delivered again (another consumer id, or a redrive after the inbox forgot it), or after a later sync: no
    evaluation, so nothing fires twice for one sync."""
    token = signed_in(coins, "ann")
    _alert(coins, token, BITCOIN, "above", float(BITCOIN_PRICE * Decimal("1.05")))
    _sync(coins, market, "1.1")
    sync_id = database.execute("SELECT max(sync_id) AS s FROM crypto.alert_evaluations").fetchone()["s"]
    database.execute("UPDATE crypto.price_alerts SET armed = true")  # as if re-armed since
    event = CoinPricesSynced(syncId=sync_id, syncedAt="2026-01-01T00:00:00Z", coins=50)
    assert logic.evaluate_alerts(event) == 0
    assert logic.evaluate_alerts(event.model_copy(update={"syncId": sync_id - 1})) == 0
    assert logic.evaluate_alerts(event.model_copy(update={"syncId": sync_id + 1})) == 1


def test_closing_the_account_deletes_its_alerts(coins: Api, database: db.Connection) -> None:
    token = signed_in(coins, "ann")
    _alert(coins, token, BITCOIN, "above", 1)
    user_id = database.execute("SELECT user_id FROM crypto.price_alerts").fetchone()["user_id"]
    logic.close_account(CloseAccountCoins(userId=user_id))
    assert database.execute("SELECT count(*) AS n FROM crypto.price_alerts").fetchone()["n"] == 0
