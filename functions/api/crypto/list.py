"""GET /api/crypto/list/{page}/{pageSize}/{order}/{orderBy}"""

from cryptotalks.crypto import logic
from cryptotalks.crypto.models import CoinPage
from cryptotalks.crypto.parameters import Order, OrderBy, Page, PageSize, SearchQuery, page_request
from cryptotalks.http import Endpoint

endpoint = Endpoint(
    "GET", "/api/crypto/list/{page}/{pageSize}/{order}/{orderBy}", "List coins, searched and sorted", context="crypto"
)


@endpoint.route
def list_cryptos(
    page: Page, pageSize: PageSize, order: Order, orderBy: OrderBy, searchQuery: SearchQuery = None
) -> CoinPage:
    return logic.list_coins(page_request(page, pageSize, order, orderBy), searchQuery)


handler = endpoint.lambda_handler
