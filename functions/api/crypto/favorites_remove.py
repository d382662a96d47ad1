"""DELETE /api/crypto/favorites/{id} (the path the original's README gives), and /api/crypto/favorite/{id}, the one
its code serves: the original's clients use both."""

from cryptotalks import errors
from cryptotalks.crypto import logic
from cryptotalks.crypto.parameters import CoinId
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn

endpoint = Endpoint(
    "DELETE",
    "/api/crypto/favorites/{id}",
    "Remove a coin from your favourites",
    auth=Auth.SIGNED_IN,
    errors=(errors.NO_CRYPTO,),
    context="crypto",
    aliases=("/api/crypto/favorite/{id}",),
)


@endpoint.route
def remove_crypto_from_favorites(id: CoinId, caller: SignedIn) -> MessageResponse:
    logic.remove_favorite(caller.user_id, id)
    return SUCCESS


handler = endpoint.lambda_handler
