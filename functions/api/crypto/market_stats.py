"""GET /api/crypto/market-stats"""

from cryptotalks.crypto import logic
from cryptotalks.crypto.models import MarketStats
from cryptotalks.http import Endpoint

endpoint = Endpoint("GET", "/api/crypto/market-stats", "The market as of the latest hourly sync", context="crypto")


@endpoint.route
def get_market_stats() -> MarketStats:
    return logic.market_stats()


handler = endpoint.lambda_handler
