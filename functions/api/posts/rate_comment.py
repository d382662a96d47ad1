"""PATCH /api/posts/rate/comment/{postId}/{commentId}"""

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
    "/api/posts/rate/comment/{postId}/{commentId}",
    "Vote + or - on a comment",
    auth=Auth.SIGNED_IN,
    errors=(
        errors.WRONG_RATE,
        errors.POST_NOT_FOUND,
        errors.COMMENT_DOESNT_EXIST,
        errors.ITEM_NOT_PUBLIC,
        errors.USER_NOT_FOUND,
    ),
    context="posts",
)


@endpoint.route
def rate_comment(
    postId: Annotated[uuid.UUID, Path()],
    commentId: Annotated[uuid.UUID, Path()],
    body: RateRequest,
    caller: SignedIn,
) -> MessageResponse:
    """One vote per user: the same vote again withdraws it, the other vote replaces it. Only public comments of public
    posts are voted on (`item-not-public` for those who see a hidden or held one: its author, moderators)."""
    logic.rate_comment(
        caller.user_id, postId, commentId, body.rate, lambda: roles.has_role(caller.user_id, Role.MODERATOR)
    )
    return SUCCESS


handler = endpoint.lambda_handler
