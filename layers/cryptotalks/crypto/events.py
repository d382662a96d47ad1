"""Payloads of the crypto context's events, named as the original system's topics."""

from __future__ import annotations

import uuid
from typing import ClassVar

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
