"""GET /api/crypto/get/{uuid}"""

from cryptotalks import errors
from cryptotalks.crypto import logic
from cryptotalks.crypto.models import CoinDetails
from cryptotalks.crypto.parameters import CoinId
from cryptotalks.http import Endpoint, OptionalReader

endpoint = Endpoint(
    "GET", "/api/crypto/get/{uuid}", "A coin with its description", errors=(errors.NO_CRYPTO,), context="crypto"
)


@endpoint.route
def get_crypto(uuid: CoinId, reader: OptionalReader) -> CoinDetails:
    return logic.coin(uuid, reader.user_id if reader else None)


handler = endpoint.lambda_handler
