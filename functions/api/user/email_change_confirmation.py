"""GET /api/user/email-change-confirmation/{confirmationHash}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Endpoint, MessageResponse
from cryptotalks.users import security
from cryptotalks.users.models import CONFIRMATION_HASH_PATTERN

endpoint = Endpoint(
    "GET",
    "/api/user/email-change-confirmation/{confirmationHash}",
    "Confirm the new address with the emailed link",
    errors=(
        errors.HASH_NOT_FOUND,
        errors.EMAIL_CHANGE_CONFIRMED,
        errors.EMAIL_ALREADY_CHANGED,
        errors.USER_ALREADY_EXISTS,
    ),
    context="users",
)


@endpoint.route
def confirm_email_change(
    confirmationHash: Annotated[str, Path(pattern=CONFIRMATION_HASH_PATTERN)],
) -> MessageResponse:
    security.confirm_email_change(confirmationHash)
    return SUCCESS


handler = endpoint.lambda_handler
