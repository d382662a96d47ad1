"""Coins tied to their discussions over HTTP against `cryptotalks dev`, on each bus: cashtags resolve against the
synced coins (the catalogue crypto publishes), unknown ones are ignored, an edit changes the mentions, the coin's
discussions list the post, and the coins list counts and orders by the last day's posts (fed by posts' events).
A post written before its coins are synced mentions them once a sync brings them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
import requests

from tests.crypto_support import RECORDED_COINS, market_stand_in
from tests.e2e.conftest import BUSES, LocalRuntimes
from tests.e2e.test_account_slice_http import _confirmed_and_signed_in, _new_account, _until_accepted

pytestmark = pytest.mark.parametrize("local_runtime", BUSES, indirect=True)
EVENTS_WITHIN_SECONDS = 60
T = TypeVar("T")


def _eventually(read: Callable[[], T], holds: Callable[[T], bool]) -> T:
    """`read()` again until `holds`: what another context learns through events arrives a little later."""
    deadline = time.monotonic() + EVENTS_WITHIN_SECONDS
    while True:
        value = read()
        if holds(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def _coin_uuid(base_url: str, symbol: str) -> str:
    rows = requests.get(f"{base_url}/api/crypto/list/0/10/ASC/rank", params={"searchQuery": symbol}).json()["rows"]
    return str(next(row["uuid"] for row in rows if row["symbol"] == symbol))


def _counts(base_url: str) -> dict[str, int]:
    rows = requests.get(f"{base_url}/api/crypto/list/0/100/DESC/discussions24h").json()["rows"]
    return {row["symbol"]: row["discussions24h"] for row in rows if row["discussions24h"]}


def _discussion_ids(base_url: str, coin: str) -> list[str]:
    answer = requests.get(f"{base_url}/api/posts/coin/{coin}/0/10")
    assert answer.status_code == 200, answer.text
    return [row["id"] for row in answer.json()["rows"]]


def test_cashtags_resolve_edits_move_them_and_the_coins_list_counts_them(local_runtime: str) -> None:
    email, username = _new_account()
    headers = {"x-access-token": f"Bearer {_confirmed_and_signed_in(local_runtime, email, username)}"}
    post = {"title": "$BTC or $eth?", "content": ["And $NOPE, for $100."], "preview": "Which one", "searchTags": []}
    created = _until_accepted(
        lambda: requests.post(f"{local_runtime}/api/posts/create", json=post, headers=headers), "user-not-found"
    )
    assert created.status_code == 201, created.text
    saved: dict[str, Any] = created.json()

    def mentions() -> list[str]:
        """The post's coins: once the catalogue has come, if it was still on its way when the post was written."""
        body = requests.get(f"{local_runtime}/api/posts/get/{saved['slug']}").json()
        return [coin["symbol"] for coin in body["coins"]]

    assert _eventually(mentions, bool) == ["BTC", "ETH"]
    bitcoin, ethereum, solana = (_coin_uuid(local_runtime, symbol) for symbol in ("BTC", "ETH", "SOL"))
    assert _discussion_ids(local_runtime, bitcoin) == [saved["id"]] == _discussion_ids(local_runtime, ethereum)
    assert _eventually(lambda: _counts(local_runtime), lambda counts: counts == {"BTC": 1, "ETH": 1}) == {
        "BTC": 1,
        "ETH": 1,
    }
    first = requests.get(f"{local_runtime}/api/crypto/list/0/2/DESC/discussions24h").json()
    assert [row["symbol"] for row in first["rows"]] == ["BTC", "ETH"] and first["count"] == 50

    edited = requests.patch(
        f"{local_runtime}/api/posts/update/{saved['id']}",
        json={"title": "Only $SOL now", "searchTags": ["solana"]},
        headers=headers,
    )
    assert edited.status_code == 200, edited.text
    read = requests.get(f"{local_runtime}/api/posts/get/{edited.json()['slug']}").json()
    assert [coin["uuid"] for coin in read["coins"]] == [solana]
    assert _discussion_ids(local_runtime, bitcoin) == [] and _discussion_ids(local_runtime, solana) == [saved["id"]]
    assert _eventually(lambda: _counts(local_runtime), lambda counts: counts == {"SOL": 1}) == {"SOL": 1}
    trending = requests.get(f"{local_runtime}/api/crypto/list/0/1/DESC/discussions24h").json()["rows"]
    assert [(row["symbol"], row["discussions24h"]) for row in trending] == [("SOL", 1)]


def test_a_post_written_before_its_coins_are_synced_is_on_their_pages(
    local_runtime: str, local_runtimes: LocalRuntimes
) -> None:
    email, username = _new_account()
    headers = {"x-access-token": f"Bearer {_confirmed_and_signed_in(local_runtime, email, username)}"}
    post = {"title": "Listed soon", "content": ["$BTC1 first."], "preview": "New coins", "searchTags": ["eth1"]}
    created = _until_accepted(
        lambda: requests.post(f"{local_runtime}/api/posts/create", json=post, headers=headers), "user-not-found"
    )
    assert created.status_code == 201, created.text
    saved: dict[str, Any] = created.json()
    assert requests.get(f"{local_runtime}/api/posts/get/{saved['slug']}").json()["coins"] == []

    # A sync lists two more coins: copies of the first two recorded ones, BTC1 and ETH1 (the stand-in's copies).
    runtime = next(r for r in local_runtimes.started.values() if r.base_url == local_runtime)
    with market_stand_in() as market:
        market.coin_count = len(RECORDED_COINS) + 2
        synced = runtime.cli("sync-coins", **market.environment(), COIN_DESCRIPTIONS_PER_SYNC="0")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    bitcoin1, ethereum1 = (_coin_uuid(local_runtime, symbol) for symbol in ("BTC1", "ETH1"))
    assert _eventually(lambda: _discussion_ids(local_runtime, bitcoin1), bool) == [saved["id"]]
    assert _discussion_ids(local_runtime, ethereum1) == [saved["id"]]  # a tag that is the coin's symbol
    read = requests.get(f"{local_runtime}/api/posts/get/{saved['slug']}").json()
    assert [coin["symbol"] for coin in read["coins"]] == ["BTC1", "ETH1"]
    assert _eventually(lambda: _counts(local_runtime), lambda counts: counts.get("BTC1") == 1)["ETH1"] == 1
