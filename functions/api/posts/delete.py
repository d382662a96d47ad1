"""DELETE /api/posts/delete/{id}"""

import uuid
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, MessageResponse, SignedIn, success_or
from cryptotalks.posts import logic
from cryptotalks.users import second_factor
from cryptotalks.users.events import Purpose

endpoint = Endpoint(
    "DELETE",
    "/api/posts/delete/{id}",
    "Delete one's own post with its comments and votes",
    auth=Auth.SIGNED_IN,
    errors=(
        errors.POST_NOT_FOUND,
        errors.WRONG_USER,
        errors.WRONG_2FA,
        errors.PHONE_CODE_ERROR,
        errors.TOO_MANY_ATTEMPTS,
        errors.TOO_MANY_REQUESTS,
        errors.USER_NOT_FOUND,
    ),
    context="posts",
    one_transaction=True,
)


@endpoint.route
def delete_post(
    id: Annotated[uuid.UUID, Path()],
    caller: SignedIn,
    code: Annotated[str | None, Query(max_length=10, description="SMS code of the 2FA step-up")] = None,
    twoFaCode: Annotated[str | None, Query(max_length=10, description="Authenticator code of the step-up")] = None,
) -> MessageResponse:
    """Authors with a second factor are asked for it first: `two-fa-required` until `twoFaCode` comes along, or
    `phone-two-fa-required` (an SMS is sent) until `code` does."""
    logic.check_author(caller.user_id, id)  # the post and the account stay locked until the deletion
    waiting = second_factor.step_up_for(caller.user_id, Purpose.DELETE_POST, twoFaCode, code)
    if waiting is None:
        logic.delete_post(caller.user_id, id)
    return success_or(waiting)


handler = endpoint.lambda_handler
