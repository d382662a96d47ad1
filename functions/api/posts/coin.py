"""GET /api/posts/coin/{uuid}/{page}/{pageSize}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks.crypto.models import COIN_ID_PATTERN
from cryptotalks.http import Auth, Endpoint, OptionalReader
from cryptotalks.posts import logic
from cryptotalks.posts.models import MAX_PAGE, MAX_PAGE_SIZE, PostList
from cryptotalks.users import roles

endpoint = Endpoint(
    "GET",
    "/api/posts/coin/{uuid}/{page}/{pageSize}",
    "A coin's latest discussions: the posts that mention it, newest first",
    auth=Auth.OPTIONAL,
    context="posts",
)


@endpoint.route
def list_coin_discussions(
    uuid: Annotated[str, Path(pattern=COIN_ID_PATTERN, description="Coinranking's id of the coin, as in /api/crypto")],
    page: Annotated[int, Path(ge=0, le=MAX_PAGE, description="Zero-based")],
    pageSize: Annotated[int, Path(ge=1, le=MAX_PAGE_SIZE)],
    reader: OptionalReader,
) -> PostList:
    """Posts mention a coin by cashtag (`$BTC`) or by a tag that is its name (`bitcoin`); an unknown coin has none.
    Hidden and held posts are listed for their author and moderators only, with `moderation` saying why."""
    return logic.list_posts(
        page,
        pageSize,
        "DESC",
        "createdAt",
        reader.user_id if reader else None,
        coin=uuid,
        moderator=roles.is_moderator(reader),
    )


handler = endpoint.lambda_handler
