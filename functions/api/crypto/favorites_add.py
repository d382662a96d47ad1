"""PATCH /api/crypto/favorites/{id}"""

from cryptotalks import errors
from cryptotalks.crypto import logic
from cryptotalks.crypto.parameters import CoinId
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn

endpoint = Endpoint(
    "PATCH",
    "/api/crypto/favorites/{id}",
    "Add a coin to your favourites (adding it twice keeps one)",
    auth=Auth.SIGNED_IN,
    errors=(errors.NO_CRYPTO,),
    context="crypto",
)


@endpoint.route
def add_crypto_to_favorites(id: CoinId, caller: SignedIn) -> MessageResponse:
    logic.add_favorite(caller.user_id, id)
    return SUCCESS


handler = endpoint.lambda_handler
