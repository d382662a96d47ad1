"""PATCH /api/posts/rate/post/{id}"""

import uuid
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.posts import logic
from cryptotalks.posts.models import RateRequest
from cryptotalks.users import roles
from cryptotalks.users.rules import Role

endpoint = Endpoint(
    "PATCH",
    "/api/posts/rate/post/{id}",
    "Vote + or - on a post",
    auth=Auth.SIGNED_IN,
    errors=(errors.WRONG_RATE, errors.POST_NOT_FOUND, errors.ITEM_NOT_PUBLIC, errors.USER_NOT_FOUND),
    context="posts",
)


@endpoint.route
def rate_post(id: Annotated[uuid.UUID, Path()], body: RateRequest, caller: SignedIn) -> MessageResponse:
    """One vote per user: the same vote again withdraws it, the other vote replaces it. Only public posts are voted
    on (`item-not-public` for the author and moderators of a hidden or held one)."""
    logic.rate_post(caller.user_id, id, body.rate, lambda: roles.has_role(caller.user_id, Role.MODERATOR))
    return SUCCESS


handler = endpoint.lambda_handler
