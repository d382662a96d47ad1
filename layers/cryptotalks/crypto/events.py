"""Payloads of the crypto context's events, named as the original system's topics."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from cryptotalks.events.envelope import DomainEvent


class AlertCondition(StrEnum):
    """What a price alert watches: the price above or below a threshold in USD, or the 24 h change beyond
    ±threshold percent."""

    ABOVE = "above"
    BELOW = "below"
    CHANGE = "change"


class AddCryptoToFavorite(DomainEvent):
    """A coin joined a user's favourites (published after the request wrote it)."""

    event_type: ClassVar[str] = "add_crypto_to_favorite"
    cryptoId: str
    userId: uuid.UUID


class RemoveCryptoFromFavorite(DomainEvent):
    """A coin left a user's favourites (published after the request wrote it)."""

    event_type: ClassVar[str] = "remove_crypto_from_favorite"
    cryptoId: str
    userId: uuid.UUID


class UpdateCoin(DomainEvent):
    """Fetch the coin's description from CoinGecko (`coinId` is Coinranking's uuid of the coin)."""

    event_type: ClassVar[str] = "update_coin"
    coinId: str


class CoinPricesSynced(DomainEvent):
    """A coin sync stored new prices. Only the sync's id and time travel (an event has at most 256 KB on
    EventBridge): the consumers read the prices from the crypto context's own tables."""

    event_type: ClassVar[str] = "coin_prices_synced"
    syncId: int
    syncedAt: datetime
    coins: int


class FiredAlert(BaseModel):
    """One alert that crossed its condition, with the coin's price and change that made it fire."""

    alertId: uuid.UUID
    coinId: str = Field(description="Coinranking's id of the coin (`uuid`)")
    symbol: str
    name: str
    condition: AlertCondition
    threshold: float
    price: float | None
    change: float | None = Field(description="The coin's 24 h change, in percent")


class PriceAlertsFired(DomainEvent):
    """The price alerts of one user that crossed their condition in sync `syncId` (each once per crossing): one
    event per user and sync, so that a burst is told in one email. A user has at most 50 alerts: an event stays far
    below EventBridge's 256 KB."""

    event_type: ClassVar[str] = "price_alerts_fired"
    userId: uuid.UUID
    syncId: int
    alerts: list[FiredAlert] = Field(min_length=1)


class CatalogueCoin(BaseModel):
    uuid: str = Field(description="Coinranking's id of the coin, as the crypto API's paths take it")
    symbol: str
    name: str
    rank: int = Field(description="Its place in the ranking: of coins sharing a symbol or a name, the best-ranked wins")


class CoinCatalogue(DomainEvent):
    """The listed coins as every coin sync stored them, for the contexts that name coins (posts resolves cashtags
    against it). One sync's catalogue is sent in `parts` events, each well under the 256 KB of an EventBridge
    entry; a consumer keeps each coin from the newest `syncedAt` it has seen, whatever order the parts come in."""

    event_type: ClassVar[str] = "coin_catalogue"
    syncedAt: datetime
    part: int = Field(ge=1)
    parts: int = Field(ge=1)
    coins: list[CatalogueCoin]
