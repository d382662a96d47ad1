"""PATCH /api/posts/comment/{id}"""

import uuid
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.posts import logic
from cryptotalks.posts.models import LeaveCommentRequest
from cryptotalks.users import roles
from cryptotalks.users.rules import Role

endpoint = Endpoint(
    "PATCH",
    "/api/posts/comment/{id}",
    "Comment on a post",
    auth=Auth.SIGNED_IN,
    errors=(errors.POST_NOT_FOUND, errors.ITEM_NOT_PUBLIC, errors.USER_NOT_FOUND, errors.TOO_MANY_REQUESTS),
    context="posts",
)


@endpoint.route
def leave_comment(
    id: Annotated[uuid.UUID, Path(description="The post")], body: LeaveCommentRequest, caller: SignedIn
) -> MessageResponse:
    """Only on a public post (`item-not-public` for its author and moderators on a hidden or held one). Accounts
    younger than a day write a few posts and comments an hour (`too-many-requests`), and their comments with links
    wait for a moderator."""
    logic.leave_comment(caller.user_id, id, body.comment, lambda: roles.has_role(caller.user_id, Role.MODERATOR))
    return SUCCESS


handler = endpoint.lambda_handler
