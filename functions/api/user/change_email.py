"""POST /api/user/change-email"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.users import security
from cryptotalks.users.models import ChangeEmailRequest
from cryptotalks.users.second_factor import answer

endpoint = Endpoint(
    "POST",
    "/api/user/change-email",
    "Ask to change the address: a confirmation link goes to the new one",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(
        errors.USER_ALREADY_EXISTS,
        errors.EMAIL_ALREADY_CHANGED,
        errors.WRONG_2FA,
        errors.PHONE_CODE_ERROR,
        errors.TOO_MANY_ATTEMPTS,
    ),
)


@endpoint.route
def change_email(body: ChangeEmailRequest, caller: SignedIn) -> MessageResponse:
    return answer(security.change_email(caller.user_id, body))


handler = endpoint.lambda_handler
