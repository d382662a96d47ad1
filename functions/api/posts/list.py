"""GET /api/posts/list/{page}/{pageSize}/{order}/{orderBy}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from cryptotalks.http import Auth, Endpoint, OptionalReader
from cryptotalks.posts import logic
from cryptotalks.posts.models import MAX_PAGE, MAX_PAGE_SIZE, Order, OrderBy, PostList
from cryptotalks.users import roles

endpoint = Endpoint(
    "GET",
    "/api/posts/list/{page}/{pageSize}/{order}/{orderBy}",
    "List posts: search, filter by author or tags, order and page",
    auth=Auth.OPTIONAL,
    context="posts",
)


@endpoint.route
def list_posts(
    page: Annotated[int, Path(ge=0, le=MAX_PAGE, description="Zero-based")],
    pageSize: Annotated[int, Path(ge=1, le=MAX_PAGE_SIZE)],
    order: Annotated[Order, Path()],
    orderBy: Annotated[OrderBy, Path(description="`rate`: number of + votes minus number of - votes")],
    reader: OptionalReader,
    searchQuery: Annotated[
        str | None, Query(max_length=200, description="Full-text search over title, tags and content")
    ] = None,
    username: Annotated[str | None, Query(max_length=32, description="The author's username")] = None,
    tags: Annotated[str | None, Query(max_length=500, description="Comma-separated; posts with any of them")] = None,
) -> PostList:
    """With `searchQuery` the best matches come first and the chosen order breaks ties; a search lists and
    counts the newest 500 matching posts at most. Hidden and held posts are listed for their author and moderators
    only, with `moderation` saying why."""
    return logic.list_posts(
        page,
        pageSize,
        order,
        orderBy,
        reader.user_id if reader else None,
        searchQuery,
        username,
        tags,
        moderator=roles.is_moderator(reader),
    )


handler = endpoint.lambda_handler
