"""DELETE /api/crypto/favorite/{id}: the original's path (its README says `favorites`); both are served."""

from dataclasses import replace

from cryptotalks.crypto.parameters import CoinId
from cryptotalks.http import MessageResponse, SignedIn
from functions.api.crypto import favorites_remove

endpoint = replace(
    favorites_remove.endpoint,
    path="/api/crypto/favorite/{id}",
    summary=f"{favorites_remove.endpoint.summary} (the original's path)",
    function=None,
    _resolver=None,
)


@endpoint.route
def remove_crypto_from_favorite(id: CoinId, caller: SignedIn) -> MessageResponse:
    return favorites_remove.remove_crypto_from_favorites(id, caller)


handler = endpoint.lambda_handler
