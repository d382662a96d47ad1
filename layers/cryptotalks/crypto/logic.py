"""Business rules of the crypto context."""

from __future__ import annotations

from cryptotalks import db
from cryptotalks.crypto import data
from cryptotalks.events.catalogue import CryptoForUserCreated


def create_favorite_list(event: CryptoForUserCreated) -> None:
    with db.transaction() as tx:
        data.create_favorite_list(tx.conn, event.userId)
