"""GET /api/crypto/list-favorites/{page}/{pageSize}/{order}/{orderBy}"""

from cryptotalks import errors
from cryptotalks.crypto import logic
from cryptotalks.crypto.models import CoinPage
from cryptotalks.crypto.parameters import Order, OrderBy, Page, PageSize, Username, page_request
from cryptotalks.http import Endpoint, OptionalReader

endpoint = Endpoint(
    "GET",
    "/api/crypto/list-favorites/{page}/{pageSize}/{order}/{orderBy}",
    "A user's favourite coins by `username` (public); without it, your own (none when signed out)",
    errors=(errors.USER_NOT_FOUND,),
    context="crypto",
)


@endpoint.route
def list_favorite_cryptos(
    page: Page, pageSize: PageSize, order: Order, orderBy: OrderBy, reader: OptionalReader, username: Username = None
) -> CoinPage:
    return logic.list_favorites(
        page_request(page, pageSize, order, orderBy), username, reader.user_id if reader else None
    )


handler = endpoint.lambda_handler
