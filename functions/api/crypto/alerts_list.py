"""GET /api/crypto/alerts"""

from cryptotalks.crypto import logic
from cryptotalks.crypto.models import PriceAlertList
from cryptotalks.http import Auth, Endpoint, SignedIn

endpoint = Endpoint("GET", "/api/crypto/alerts", "Your price alerts", auth=Auth.SIGNED_IN, context="crypto")


@endpoint.route
def list_price_alerts(caller: SignedIn) -> PriceAlertList:
    return logic.alerts(caller.user_id)


handler = endpoint.lambda_handler
