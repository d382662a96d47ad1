"""GET /api/posts/get/{slug}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, OptionalReader
from cryptotalks.posts import logic
from cryptotalks.posts.models import Post
from cryptotalks.users import roles

endpoint = Endpoint(
    "GET",
    "/api/posts/get/{slug}",
    "Read a post with its votes and comments",
    auth=Auth.OPTIONAL,
    errors=(errors.POST_NOT_FOUND, errors.WRONG_USER),
    context="posts",
)


@endpoint.route
def get_post_by_slug(
    slug: Annotated[str, Path(max_length=200)],
    reader: OptionalReader,
    toEdit: Annotated[
        str | None, Query(max_length=10, description="`yes`: the post to edit, for its author only")
    ] = None,
) -> Post:
    """Signed-out readers may read; `rated` marks a signed-in reader's own votes. A hidden or held post is there for
    its author and moderators only (`post-not-found` for anyone else), with `moderation` saying why."""
    return logic.get_post(
        slug, reader.user_id if reader else None, to_edit=toEdit == "yes", moderator=roles.is_moderator(reader)
    )


handler = endpoint.lambda_handler
