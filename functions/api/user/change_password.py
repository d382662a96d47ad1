"""POST /api/user/change-password"""

from cryptotalks import errors
from cryptotalks.auth import logic as auth
from cryptotalks.http import Auth, Endpoint, MessageResponse, SignedIn, success_or
from cryptotalks.users import security
from cryptotalks.users.models import ChangePasswordRequest

endpoint = Endpoint(
    "POST",
    "/api/user/change-password",
    "Change the password (once a day), with the current one or within 10 minutes of signing in; every other "
    "session ends and the owner is told by email",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(
        errors.REAUTHENTICATION_REQUIRED,
        errors.WRONG_CREDENTIALS,
        errors.PASSWORD_CHANGED_RECENTLY,
        errors.SAME_PASSWORD,
        errors.WRONG_2FA,
        errors.PHONE_CODE_ERROR,
        errors.TOO_MANY_ATTEMPTS,
        errors.TOO_MANY_REQUESTS,
    ),
    context="users",
    one_transaction=True,
)


@endpoint.route
def change_password(body: ChangePasswordRequest, caller: SignedIn) -> MessageResponse:
    waiting = security.change_password(caller.user_id, body, auth.signed_in_recently(caller.session_id))
    if waiting is None:
        auth.end_other_sessions(caller.user_id, keep=caller.session_id)
    return success_or(waiting)


handler = endpoint.lambda_handler
