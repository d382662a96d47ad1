"""Where the crypto context reads the market: the live APIs when a Coinranking key is configured, else the bundled
snapshot of recorded responses (so the local runtime shows real coins without network)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from cryptotalks.crypto.market_data.coingecko import (
    CoinDetail,
    CoinGecko,
    CoinsList,
    Description,
    description_of,
    match,
)
from cryptotalks.crypto.market_data.coinranking import Coinranking, CoinsResponse, Market, Progress
from cryptotalks.crypto.settings import MarketDataSettings

SNAPSHOT = Path(__file__).with_name("snapshot.json")


class MarketSource(Protocol):
    name: str

    def market(self, limit: int, progress: Progress) -> Market:
        """The top `limit` coins by market cap, and the market stats."""
        ...

    def coin_id(self, symbol: str, name: str) -> str | None:
        """CoinGecko's id of a coin, matched by symbol and name."""
        ...

    def description(self, coingecko_id: str) -> Description | None:
        """CoinGecko's description and links of a coin; None if CoinGecko does not know the id."""
        ...


@dataclass
class LiveMarket:
    coinranking: Coinranking
    coingecko: CoinGecko
    name: str = "coinranking"

    def market(self, limit: int, progress: Progress) -> Market:
        return self.coinranking.market(limit, progress)

    def coin_id(self, symbol: str, name: str) -> str | None:
        return self.coingecko.coin_id(symbol, name)

    def description(self, coingecko_id: str) -> Description | None:
        return self.coingecko.description(coingecko_id)


class SnapshotMarket:
    """The recorded responses in snapshot.json, read through the same models as the live answers."""

    name = "snapshot"

    def __init__(self, recorded: dict[str, Any]) -> None:
        self.recorded = recorded

    def market(self, limit: int, progress: Progress) -> Market:
        data = CoinsResponse.model_validate(self.recorded["coinranking"]["/coins"]).data
        progress(f"snapshot: {min(limit, len(data.coins))} coins")
        return Market(self.name, data.coins[:limit], data.stats)

    def coin_id(self, symbol: str, name: str) -> str | None:
        return match(CoinsList.model_validate(self.recorded["coingecko"]["/coins/list"]).root, symbol, name)

    def description(self, coingecko_id: str) -> Description | None:
        detail = self.recorded["coingecko"].get(f"/coins/{coingecko_id}")
        return description_of(CoinDetail.model_validate(detail)) if detail else None


@cache
def recorded_snapshot() -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads(SNAPSHOT.read_text())
    return recorded


def market_source(settings: MarketDataSettings, before_coingecko_call: Callable[[], None]) -> MarketSource:
    if settings.offline:
        return SnapshotMarket(recorded_snapshot())
    return LiveMarket(Coinranking(settings), CoinGecko(settings, before_coingecko_call))
