"""POST /api/user/forgot-password"""

from cryptotalks import errors
from cryptotalks.auth import logic as auth
from cryptotalks.http import Endpoint, MessageResponse
from cryptotalks.users import security
from cryptotalks.users.models import ForgotPasswordRequest

endpoint = Endpoint(
    "POST",
    "/api/user/forgot-password",
    "With `email` (or `phone`): a reset code is sent, and `sent` is answered whether or not an account matches. "
    "With `verificationString` and `password` too: the password is set and every session ends",
    status=201,
    errors=(
        errors.BAD_REQUEST,
        errors.WRONG_HASH,
        errors.SAME_PASSWORD,
        errors.PHONE_CODE_ERROR,
        errors.TOO_MANY_ATTEMPTS,
        errors.TOO_MANY_REQUESTS,
    ),
    guards_credentials=True,
    context="users",
    one_transaction=True,
)


@endpoint.route
def forgot_password(body: ForgotPasswordRequest) -> MessageResponse:
    message, reset_user = security.forgot_password(body)
    if reset_user is not None:
        auth.end_all_sessions(reset_user)
    return MessageResponse(message=message)


handler = endpoint.lambda_handler
