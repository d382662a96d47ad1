"""Coinranking API v2: `GET /coins`, ranked by market cap, page by page (https://developers.coinranking.com/api)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from cryptotalks.crypto.models import COIN_ID_PATTERN
from cryptotalks.crypto.settings import MarketDataSettings

PAGE_SIZE = 100  # the most coins Coinranking answers per request
_INT32 = 2**31 - 1

Progress = Callable[[str], None]
# Coinranking sends amounts as decimal strings; they are kept as sent and stored as numeric.
Amount = Annotated[str, StringConstraints(pattern=r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")]
# PostgreSQL text cannot hold NUL; one odd character upstream must not fail every sync.
Text = Annotated[str, AfterValidator(lambda text: text.replace("\x00", ""))]


class RankedCoin(BaseModel):
    uuid: Annotated[str, StringConstraints(pattern=COIN_ID_PATTERN)]
    symbol: Text
    name: Text
    color: Text | None = None
    iconUrl: Text | None = None
    marketCap: Amount | None = None
    price: Amount | None = None
    listedAt: Annotated[int, Field(ge=0, le=10**11)] | None = None
    tier: Annotated[int, Field(ge=0, le=_INT32)] | None = None
    change: Amount | None = None
    rank: Annotated[int, Field(ge=0, le=_INT32)]
    sparkline: list[Amount | None] = []
    lowVolume: bool = False
    coinrankingUrl: Text | None = None
    volume24h: Amount | None = Field(default=None, alias="24hVolume")
    btcPrice: Amount | None = None


class CoinsStats(BaseModel):
    total: Annotated[int, Field(ge=0)]
    totalCoins: Annotated[int, Field(ge=0, le=_INT32)] | None = None
    totalMarkets: Annotated[int, Field(ge=0, le=_INT32)] | None = None
    totalExchanges: Annotated[int, Field(ge=0, le=_INT32)] | None = None
    totalMarketCap: Amount | None = None
    total24hVolume: Amount | None = None


class CoinsData(BaseModel):
    stats: CoinsStats
    coins: list[RankedCoin]


class CoinsResponse(BaseModel):
    status: Literal["success"]
    data: CoinsData


@dataclass(frozen=True)
class Market:
    source: str  # coinranking, snapshot
    coins: list[RankedCoin]
    stats: CoinsStats


class Coinranking:
    def __init__(self, settings: MarketDataSettings) -> None:
        assert settings.coinranking_api_key, "Coinranking needs an API key"
        from cryptotalks.crypto.market_data.http import JsonApi  # requests: only the callers of the API load it

        self.api = JsonApi(
            "coinranking",
            settings.coinranking_api_url,
            {"x-access-token": settings.coinranking_api_key, "Accept": "application/json"},
            settings.timeout_seconds,
            settings.attempts,
            settings.backoff_seconds,
        )

    def market(self, limit: int, progress: Progress) -> Market:
        """The top `limit` coins by market cap and the market stats; any page that fails fails the whole."""
        coins: dict[str, RankedCoin] = {}
        stats: CoinsStats | None = None
        offset = 0
        while offset < limit:
            size = min(PAGE_SIZE, limit - offset)
            page = self._page(offset, size)
            stats = stats or page.stats
            for coin in page.coins:
                # Ranks move between two page requests: a coin seen twice keeps its first place.
                coins.setdefault(coin.uuid, coin)
            progress(f"coinranking: {len(coins)} coins")
            offset += size
            if offset >= page.stats.total:
                break
        assert stats is not None
        return Market("coinranking", list(coins.values()), stats)

    def _page(self, offset: int, size: int) -> CoinsData:
        params = {"limit": size, "offset": offset, "orderBy": "marketCap", "orderDirection": "desc"}

        def complete(answer: CoinsResponse) -> None:
            expected = min(size, max(answer.data.stats.total - offset, 0))
            if len(answer.data.coins) < expected:
                raise ValueError(f"partial page: {len(answer.data.coins)} coins of {expected}")

        return self.api.get("/coins", CoinsResponse, params, check=complete).data
