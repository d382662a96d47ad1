"""Payloads of the crypto context's events, named as the original system's topics."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from cryptotalks.events.envelope import DomainEvent


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
