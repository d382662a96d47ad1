"""GET /api/user/account-confirmation/{confirmationHash}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Endpoint, MessageResponse
from cryptotalks.users import logic
from cryptotalks.users.models import CONFIRMATION_HASH_PATTERN

endpoint = Endpoint(
    "GET",
    "/api/user/account-confirmation/{confirmationHash}",
    "Confirm an account with the emailed link",
    errors=(errors.HASH_NOT_FOUND, errors.EMAIL_ALREADY_CONFIRMED),
    context="users",
)


@endpoint.route
def confirm_account(
    confirmationHash: Annotated[str, Path(pattern=CONFIRMATION_HASH_PATTERN)],
) -> MessageResponse:
    logic.confirm_account(confirmationHash)
    return SUCCESS


handler = endpoint.lambda_handler
