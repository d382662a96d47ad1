"""Coins tied to their discussions over HTTP against `cryptotalks dev`, on each bus: cashtags resolve against the
synced coins (the catalogue crypto publishes), unknown ones are ignored, an edit changes the mentions, the coin's
discussions list the post, and the coins list counts and orders by the last day's posts (fed by posts' events)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
import requests

from tests.e2e.conftest import BUSES
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
        """The post's coins; saving it again resolves them again, should the catalogue still be on its way."""
        body = requests.get(f"{local_runtime}/api/posts/get/{saved['slug']}").json()
        if not body["coins"]:
            requests.patch(f"{local_runtime}/api/posts/update/{saved['id']}", json=post, headers=headers)
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
