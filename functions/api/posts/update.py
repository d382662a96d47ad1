"""PATCH /api/posts/update/{id}"""

import uuid
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.posts import logic
from cryptotalks.posts.models import PostSaved, UpdatePostRequest

endpoint = Endpoint(
    "PATCH",
    "/api/posts/update/{id}",
    "Edit one's own post: title, content, preview, tags",
    auth=Auth.SIGNED_IN,
    errors=(errors.POST_NOT_FOUND, errors.WRONG_USER, errors.TAG_LENGTH),
    context="posts",
)


@endpoint.route
def update_post(id: Annotated[uuid.UUID, Path()], body: UpdatePostRequest, caller: SignedIn) -> PostSaved:
    """A new title gives the post a new slug, which the answer carries. An edit that adds links to a public post of
    an account younger than a day holds it for a moderator (`moderation.state` `held`), as a new post with links."""
    return logic.update_post(caller.user_id, id, body)


handler = endpoint.lambda_handler
