"""POST /api/crypto/alerts"""

from cryptotalks import errors
from cryptotalks.crypto import logic
from cryptotalks.crypto.models import CreatePriceAlertRequest, PriceAlertCreated
from cryptotalks.http import Auth, Endpoint, SignedIn

endpoint = Endpoint(
    "POST",
    "/api/crypto/alerts",
    "Set a price alert on a coin: price above or below a threshold in USD, or 24 h change beyond ±threshold %",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.NO_CRYPTO, errors.TOO_MANY_ALERTS, errors.WRONG_THRESHOLD),
    context="crypto",
)


@endpoint.route
def create_price_alert(body: CreatePriceAlertRequest, caller: SignedIn) -> PriceAlertCreated:
    """The alert fires at the first coin sync that finds its condition true, then again only after a sync found
    it false (once per crossing); set while its condition holds already, it waits for that sync (`armed` false).
    On listed coins only; at most 50 alerts per user."""
    return logic.create_alert(caller.user_id, body)


handler = endpoint.lambda_handler
