"""Bodies of the crypto endpoints, with the original's field names (`uuid` is Coinranking's id of the coin)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from cryptotalks.crypto.events import AlertCondition
from cryptotalks.http.models import ApiModel

# Coinranking's coin ids: Qwsogvtv82FCd, uW2tk-ILY0ii.
COIN_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
SORT_ORDER_PATTERN = r"^([Aa][Ss][Cc]|[Dd][Ee][Ss][Cc])$"  # ASC or DESC, in any case
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000
MAX_SEARCH_LENGTH = 100


class CoinOrder(StrEnum):
    """What a coin list is ordered by; NULLs come last either way."""

    RANK = "rank"
    NAME = "name"
    PRICE = "price"
    MARKET_CAP = "marketCap"
    CHANGE = "change"
    VOLUME_24H = "volume24h"
    TIER = "tier"
    CREATED_AT = "createdAt"  # when the coin first appeared here
    LIKES = "likes"  # how many users keep it in their favourites
    DISCUSSIONS_24H = "discussions24h"  # how many posts written in the last 24 hours mention it: trending


class CoinSummary(ApiModel):
    """A coin in a list. Amounts as the original answered them: `marketCap` and `volume24h` as decimal strings."""

    id: UUID
    uuid: str = Field(description="Coinranking's id of the coin, used in every crypto path")
    symbol: str
    name: str
    iconUrl: str | None
    volume24h: str | None = Field(description="Volume of the last 24 hours in USD, as a decimal string")
    marketCap: str | None = Field(description="Market cap in USD, as a decimal string")
    price: float | None = Field(description="Price in USD")
    btcPrice: float | None
    change: float | None = Field(description="Change of the price over the last 24 hours, in percent")
    coinrankingUrl: str | None
    sparkline: list[str | None] = Field(description="Hourly prices of the last 24 hours, oldest first")
    rank: int
    tier: int | None
    discussions24h: int = Field(
        description="How many posts written in the last 24 hours mention the coin (by cashtag or tag)"
    )


class CoinLink(ApiModel):
    type: str = Field(examples=["website", "whitepaper", "explorer", "github", "reddit", "twitter"])
    url: str


class CoinDetails(CoinSummary):
    symbolId: str | None = Field(description="CoinGecko's id of the coin, once matched")
    description: str | None = Field(description="From CoinGecko, in English; null until fetched (in the background)")
    links: list[CoinLink]
    createdAt: datetime
    updatedAt: datetime
    isFavorite: bool | None = Field(
        description="Whether the signed-in reader keeps it in favourites; null if anonymous"
    )


class CoinPage(ApiModel):
    rows: list[CoinSummary]
    count: int = Field(description="How many coins match, over all pages")


class MarketStats(ApiModel):
    """The market as of the latest sync; every field is null before the first one."""

    total: int | None = Field(description="Coins in the ranking the sync reads")
    totalCoins: int | None
    totalMarkets: int | None
    totalExchanges: int | None
    totalMarketCap: str | None = Field(description="In USD, as a decimal string")
    total24hVolume: str | None = Field(description="In USD, as a decimal string")
    updatedAt: datetime | None = Field(description="When the sync stored these figures")


MAX_ALERTS_PER_USER = 50
MAX_CHANGE_PERCENT = 1000


class CreatePriceAlertRequest(ApiModel):
    """`above` / `below`: the price in USD reaches `threshold`; `change`: the 24 h change is beyond ±`threshold` %."""

    uuid: str = Field(pattern=COIN_ID_PATTERN, description="Coinranking's id of the coin")
    condition: AlertCondition
    threshold: float = Field(gt=0, le=1e15, allow_inf_nan=False, examples=[100000])


class PriceAlert(ApiModel):
    id: UUID
    uuid: str = Field(description="Coinranking's id of the coin")
    symbol: str
    name: str
    iconUrl: str | None
    price: float | None = Field(description="The coin's price in USD as of the latest sync")
    change: float | None = Field(description="The coin's 24 h change in percent as of the latest sync")
    condition: AlertCondition
    threshold: float
    armed: bool = Field(
        description="False once fired (or when set while its condition held), until a sync finds the condition false"
    )
    lastFiredAt: datetime | None
    createdAt: datetime


class PriceAlertList(ApiModel):
    rows: list[PriceAlert] = Field(description="Newest first")
    count: int
    limit: int = Field(description="How many alerts a user may keep")


class PriceAlertCreated(ApiModel):
    message: str = Field(examples=["success"])
    id: UUID
    armed: bool = Field(
        description="False when the condition already holds at the latest synced price (or change): the alert fires"
        " only after a sync finds it false and a later one true again"
    )
