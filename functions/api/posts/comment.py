"""PATCH /api/posts/comment/{id}"""

import uuid
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.posts import logic
from cryptotalks.posts.models import LeaveCommentRequest

endpoint = Endpoint(
    "PATCH",
    "/api/posts/comment/{id}",
    "Comment on a post",
    auth=Auth.SIGNED_IN,
    errors=(errors.POST_NOT_FOUND, errors.USER_NOT_FOUND, errors.TOO_MANY_REQUESTS),
    context="posts",
)


@endpoint.route
def leave_comment(
    id: Annotated[uuid.UUID, Path(description="The post")], body: LeaveCommentRequest, caller: SignedIn
) -> MessageResponse:
    logic.leave_comment(caller.user_id, id, body.comment)
    return SUCCESS


handler = endpoint.lambda_handler
