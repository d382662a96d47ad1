"""POST /api/user/change-email"""

from cryptotalks import errors
from cryptotalks.auth import logic as auth
from cryptotalks.http import Auth, Endpoint, MessageResponse, SignedIn, success_or
from cryptotalks.users import security
from cryptotalks.users.models import ChangeEmailRequest

endpoint = Endpoint(
    "POST",
    "/api/user/change-email",
    "Ask to change the address, with the current password or within 10 minutes of signing in: a confirmation "
    "link goes to the new address, a notice to the current one",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(
        errors.REAUTHENTICATION_REQUIRED,
        errors.WRONG_CREDENTIALS,
        errors.USER_ALREADY_EXISTS,
        errors.EMAIL_ALREADY_CHANGED,
        errors.WRONG_2FA,
        errors.PHONE_CODE_ERROR,
        errors.TOO_MANY_ATTEMPTS,
        errors.TOO_MANY_REQUESTS,
    ),
    context="users",
    one_transaction=True,
)


@endpoint.route
def change_email(body: ChangeEmailRequest, caller: SignedIn) -> MessageResponse:
    return success_or(security.change_email(caller.user_id, body, auth.signed_in_recently(caller.session_id)))


handler = endpoint.lambda_handler
