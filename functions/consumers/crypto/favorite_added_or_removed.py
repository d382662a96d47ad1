"""add_crypto_to_favorite, remove_crypto_from_favorite → crypto: the coin's favourites count (orders by `likes`).

The favourite itself is written by the request, so the user sees it at once."""

from cryptotalks.crypto import logic
from cryptotalks.crypto.events import AddCryptoToFavorite, RemoveCryptoFromFavorite
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope

FavoriteChanged = AddCryptoToFavorite | RemoveCryptoFromFavorite

subscription: Subscription[FavoriteChanged] = Subscription(
    (AddCryptoToFavorite, RemoveCryptoFromFavorite), "crypto", "Recount the coin's favourites"
)


@subscription.consumer
def recount_favorites(event: FavoriteChanged, envelope: Envelope) -> None:
    logic.recount_favorites(event)


handler = subscription.lambda_handler
